// etcdctl lock (lock_command.go): acquire the mutex "<lockname>/" on a session with --ttl, then either print
// the lock key (as `get` prints it) and hold it until SIGINT/SIGTERM, or run the given command with
// ETCD_LOCK_KEY/ETCD_LOCK_REV in its environment and release after it exits. As etcdctl: release = delete the
// key (the session lease is not revoked; it expires after its TTL); a failed command is "Error: exit status N"
// with exit code 1; an interrupt while waiting is "Error: context canceled".
import type { CtlCommand } from "../command.ts";
import { CtlError, ExitBadArgs } from "../errors.ts";
import { holdUntilInterrupted, runInterruptible } from "../concurrency/interrupt.ts";
import { Mutex } from "../concurrency/mutex.ts";
import { bytes } from "../concurrency/ops.ts";
import { Session } from "../concurrency/session.ts";

/** os/exec's error text for a finished child (nothing when it succeeded). */
async function runChild(argv: string[], env: Record<string, string | undefined>): Promise<string | undefined> {
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn(argv, { env, stdin: "inherit", stdout: "inherit", stderr: "inherit" });
  } catch {
    return `exec: ${JSON.stringify(argv[0])}: executable file not found in $PATH`;
  }
  const code = await proc.exited;
  if (proc.signalCode) return `signal: ${signalText(String(proc.signalCode))}`;
  return code === 0 ? undefined : `exit status ${code}`;
}

const SIGNAL_TEXT: Record<string, string> = { SIGKILL: "killed", SIGTERM: "terminated", SIGINT: "interrupt", SIGHUP: "hangup", SIGSEGV: "segmentation fault", SIGABRT: "aborted" };
const signalText = (s: string) => SIGNAL_TEXT[s] ?? s.toLowerCase();

export const lockCommand: CtlCommand = {
  path: ["lock"],
  use: "lock <lockname> [exec-command arg1 arg2 ...]",
  short: "Acquires a named lock",
  flags: [{ name: "ttl", kind: "int", def: "10", usage: "timeout for session" }],
  async run(ctx) {
    if (ctx.args.length === 0) throw new CtlError(ExitBadArgs, "lock takes a lock name argument and an optional command to execute");
    const client = ctx.client();
    const [lockname, ...cmdArgs] = ctx.args as [string, ...string[]];
    await runInterruptible(() => Session.open(client, Number(ctx.flags.int("ttl"))), async (s, signal) => {
      const m = new Mutex(s, lockname);
      await m.lock(signal);
      if (cmdArgs.length > 0) {
        const env = { ETCD_LOCK_KEY: m.key(), ETCD_LOCK_REV: String(m.header()?.revision ?? 0n), ...ctx.init.env };
        const failed = await runChild(cmdArgs, env);
        await m.unlock();
        s.orphan();
        if (failed) throw new Error(failed);
        return;
      }
      const k = await client.rpc((svc, o) => svc.kv.range({ key: bytes(m.key()) }, o), { timeoutMs: null });
      if (k.kvs.length === 0) throw new Error("lock lost on init");
      ctx.display.get(k);
      await holdUntilInterrupted(signal, s.done, "session expired");
      await m.unlock();
      s.orphan();
    });
  },
};
