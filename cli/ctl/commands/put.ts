// etcdctl put (put_command.go): value from the second argument or, failing that, all of stdin.
import type { CtlCommand } from "../command.ts";
import { must } from "../command.ts";
import { PUT_FLAGS, putOp } from "./kv_ops.ts";

export const putCommand: CtlCommand = {
  path: ["put"],
  use: "put [options] <key> <value> (<value> can also be given from stdin)",
  short: "Puts the given key into the store",
  long: `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`,
  flags: PUT_FLAGS,
  async run(ctx) {
    const req = await putOp(ctx.args, ctx.flags, () => ctx.readStdin());
    const resp = await must(ctx.client().rpc((s, o) => s.kv.put(req, o)));
    ctx.display.put(resp);
  },
};
