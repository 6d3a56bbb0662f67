// ConfChange codec: raftpb wire format (checked against bytes etcd's gogoproto produces) and round trips.
import { describe, expect, test } from "bun:test";
import { decodeConfChange, encodeConfChange } from "../../../engine/raft/conf_change_codec.ts";
import { ConfChangeType } from "../../../engine/raft/types.ts";
import { createRng } from "../../../engine/raft/rand.ts";

describe("ConfChange codec", () => {
  test("matches raftpb.ConfChange bytes: ID=1, Type=2, NodeID=3 always present, Context=4 when set", () => {
    // pb.ConfChange{ID: 0, Type: ConfChangeAddNode, NodeID: 1}.Marshal() = 08 00 10 00 18 01
    expect([...encodeConfChange({ type: ConfChangeType.ConfChangeAddNode, nodeId: 1n })]).toEqual([8, 0, 16, 0, 24, 1]);
    // NodeID 300 -> varint ac 02; Type RemoveNode = 1; Context "ab"
    expect([...encodeConfChange({ type: ConfChangeType.ConfChangeRemoveNode, nodeId: 300n, context: new TextEncoder().encode("ab") })]).toEqual([
      8, 0, 16, 1, 24, 0xac, 0x02, 34, 2, 97, 98,
    ]);
  });

  test("round-trips random 64-bit ids, types and contexts (seeded)", () => {
    const seed = Number(process.env.RAFT_TEST_SEED ?? 7);
    const rng = createRng(seed);
    for (let i = 0; i < 500; i++) {
      const nodeId = (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32));
      const id = BigInt(rng.int(2 ** 31));
      const context = new Uint8Array(rng.int(40)).map(() => rng.int(256));
      const type = rng.int(4) as ConfChangeType;
      const back = decodeConfChange(encodeConfChange({ type, nodeId, context, id }));
      if (back.nodeId !== nodeId || back.type !== type || back.id !== id) throw new Error(`mismatch at step ${i}, seed ${seed}`);
      expect(back.context).toEqual(context);
    }
  });

  test("truncated input is an error", () => {
    expect(() => decodeConfChange(new Uint8Array([24, 0xac]))).toThrow();
  });
});
