// One real etcd per test file for the concurrency recipe tests, and CtlClients on it (stderr lines collected).
import { CtlClient } from "../../../../cli/ctl/client.ts";
import { type Member, startEtcd } from "../../../support/etcd.ts";
import { tempDirs } from "../../../support/tmp.ts";

export interface Fixture {
  etcd: Member;
  client(): CtlClient;
  stop(): Promise<void>;
}

export async function etcdFixture(name: string): Promise<Fixture> {
  const dirs = tempDirs(`bunetcd-${name}`);
  const etcd = await startEtcd(dirs.make());
  const errs: string[] = [];
  return {
    etcd,
    client: () =>
      new CtlClient({ endpoints: [etcd.endpoint], dialTimeoutMs: 2000, commandTimeoutMs: 5000 }, { out: () => undefined, err: (c) => void errs.push(String(c)) }),
    async stop() {
      await etcd.stop();
      dirs.cleanup();
    },
  };
}
