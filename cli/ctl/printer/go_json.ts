// Go encoding/json of etcd's gogoproto Go structs, from protobuf-es messages: keys are the Go json tags (the
// proto field names), every field omitempty, fields in declaration order, int64/uint64 as bare numbers, bytes
// base64, enums as numbers, a oneof as {"<OneofName>":{"<FieldName>":…}} (null when unset). Wrapper structs of
// clientv3 (lease responses, WatchResponse) are built by the printers from these pieces.
import type { DescField, DescMessage, DescOneof } from "@bufbuild/protobuf";
import { goJsonString } from "../gofmt.ts";

const camel = (s: string) => s.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());

function scalar(v: unknown): string {
  if (typeof v === "bigint" || typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return goJsonString(v);
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString("base64")}"`;
  return "null";
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  return v === 0 || v === 0n || v === false || v === "";
}

function fieldValue(f: DescField, v: unknown): string {
  switch (f.fieldKind) {
    case "message":
      return goJson(f.message, v as Record<string, unknown>);
    case "list":
      return `[${(v as unknown[]).map((x) => (f.listKind === "message" ? goJson(f.message, x as Record<string, unknown>) : scalar(x))).join(",")}]`;
    default:
      return scalar(v);
  }
}

/** The "key":value members of a message, without braces (for embedding, as Go does with embedded structs). */
export function goJsonMembers(schema: DescMessage, msg: Record<string, unknown>): string[] {
  const parts: string[] = [];
  for (const m of schema.members) {
    if (m.kind === "oneof") {
      parts.push(oneofMember(m, msg[m.localName] as { case?: string; value?: unknown }));
      continue;
    }
    const v = msg[m.localName];
    if (isEmpty(v)) continue;
    parts.push(`${goJsonString(m.name)}:${fieldValue(m, v)}`);
  }
  return parts;
}

function oneofMember(o: DescOneof, sel: { case?: string; value?: unknown }): string {
  const f = o.fields.find((x) => x.localName === sel?.case);
  const key = goJsonString(camel(o.name));
  if (!f) return `${key}:null`;
  return `${key}:{${goJsonString(camel(f.name))}:${fieldValue(f, sel.value)}}`;
}

export function goJson(schema: DescMessage, msg: Record<string, unknown> | undefined): string {
  if (msg === undefined) return "null";
  return `{${goJsonMembers(schema, msg).join(",")}}`;
}
