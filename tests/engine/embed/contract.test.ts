// The Etcd contract (tests/rpc/client/contract.ts) against the embedded store: open() on a fresh directory.
import { open } from "../../../engine/embed/open.ts";
import { tempDirs } from "../../support/tmp.ts";
import { etcdContract } from "../../rpc/client/contract.ts";

const dirs = tempDirs("bunetcd-embed");
etcdContract("embedded open()", async () => {
  const db = await open({ dir: dirs.make() });
  return {
    db,
    async stop() {
      await db.close();
      dirs.cleanup();
    },
  };
});
