// The Etcd contract (tests/rpc/client/contract.ts) through connect(): the same test body against the
// compiled bunetcd and against a real etcd 3.4.23, each on free loopback ports, over gRPC/HTTP/2.
import { connect } from "../../rpc/client/connect.ts";
import { startBunetcd } from "../support/bunetcd.ts";
import { startEtcd, type Member } from "../support/etcd.ts";
import { tempDirs } from "../support/tmp.ts";
import { etcdContract } from "../rpc/client/contract.ts";

const dirs = tempDirs("bunetcd-library-connect");

function remote(start: (dir: string) => Promise<Member>) {
  return async () => {
    const member = await start(dirs.make());
    const db = await connect(member.endpoint);
    return {
      db,
      async stop() {
        await db.close();
        await member.stop();
        dirs.cleanup();
      },
    };
  };
}

etcdContract("connect() to bunetcd", remote((dir) => startBunetcd(dir)));
etcdContract("connect() to etcd 3.4", remote((dir) => startEtcd(dir)));
