// etcdctl's argify (util.go): splits a txn/watch input line into words; "double-quoted" words are Go string
// literals, 'single-quoted' words lose their quotes (trimmed by etcdctl's len(args) slip, reproduced).
import { CtlError, ExitInvalidInput } from "../errors.ts";
import { goUnquote } from "../go_parse.ts";

const WORD = /"(?:[^"\\]|\\.)*"|'[^']*'|[^'"\s]\S*[^'"\s]?/g;

export function argify(s: string): string[] {
  const args = s.match(WORD) ?? [];
  return args.map((a) => {
    if (a.length === 0) return a;
    if (a[0] === "'") return a.slice(1, args.length - 1);
    if (a[0] === '"') {
      const u = goUnquote(a);
      if (u === undefined) throw new CtlError(ExitInvalidInput, "unexpected EOF");
      return u;
    }
    return a;
  });
}
