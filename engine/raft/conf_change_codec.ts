// ConfChange <-> bytes, in raftpb.ConfChange's protobuf wire format (ID=1, Type=2, NodeID=3 as varints;
// Context=4 as bytes), so conf-change entries in the log are byte-compatible with etcd 3.4.
import { RaftError } from "./errors.ts";
import { type ConfChange, ConfChangeType, EMPTY_BYTES } from "./types.ts";
import { copyBytes } from "../bytes/copy.ts";

function putVarint(out: number[], v: bigint): void {
  v = BigInt.asUintN(64, v);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const out: number[] = [];
  out.push(0x08);
  putVarint(out, cc.id ?? 0n);
  out.push(0x10);
  putVarint(out, BigInt(cc.type));
  out.push(0x18);
  putVarint(out, cc.nodeId);
  const ctx = cc.context;
  if (ctx !== undefined && ctx.length > 0) {
    out.push(0x22);
    putVarint(out, BigInt(ctx.length));
    const bytes = new Uint8Array(out.length + ctx.length);
    bytes.set(out);
    bytes.set(ctx, out.length);
    return bytes;
  }
  return Uint8Array.from(out);
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  let pos = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= data.length) throw new RaftError("confchange: truncated varint");
      const b = data[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  };
  const cc: ConfChange = { type: ConfChangeType.ConfChangeAddNode, nodeId: 0n, id: 0n, context: EMPTY_BYTES };
  while (pos < data.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = varint();
      if (field === 1) cc.id = v;
      else if (field === 2) cc.type = Number(v) as ConfChangeType;
      else if (field === 3) cc.nodeId = v;
    } else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > data.length) throw new RaftError("confchange: truncated bytes field");
      if (field === 4) cc.context = copyBytes(data.subarray(pos, pos + len));
      pos += len;
    } else {
      throw new RaftError(`confchange: unsupported wire type ${wire}`);
    }
  }
  return cc;
}
