// The usage text printed with flag errors and for --help: etcd's layout, naming bunetcd.
import { FLAGS } from "./flag_table.ts";

export const USAGE = [
  "Usage:",
  "",
  "  bunetcd [flags]",
  "    Start a bunetcd server (accepts etcd 3.4's flags).",
  "",
  "  bunetcd --version",
  "    Show the version of bunetcd.",
  "",
  "  bunetcd backend check|stats|compact ...",
  "    Offline tools for backend (bbolt-format) files.",
  "",
  "Flags:",
  ...FLAGS.flatMap((f) => [`  --${f.name} '${f.def}'`, `    ${f.help}`]),
].join("\n");
