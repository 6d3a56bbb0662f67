// The Snapshot stream's messages on the gRPC path: SnapshotResponse {header 1, remaining_bytes 2, blob 3} framed
// straight into the responder's buffer from a snapshot part, so each 32 KiB page chunk of the backend file is
// copied once (file → wire buffer) instead of into a message, its encoding and then the wire buffer.
// Invariant: the bytes are toBinary's for {remainingBytes, blob} (no header, as etcd 3.4 sends; seeded test).
import { sizeVarint, writeVarint } from "../../engine/bytes/protowire.ts";
import type { SnapshotPart } from "../../engine/server/api.ts";
import type { FrameWriter } from "../grpc/pipe.ts";

export function frameSnapshotResponse(frames: FrameWriter, part: SnapshotPart): void {
  const r = part.remainingBytes;
  const n = part.blob.length;
  const size = (r !== 0 ? 1 + sizeVarint(r) : 0) + (n !== 0 ? 1 + sizeVarint(n) + n : 0);
  let pos = frames.reserve(size);
  const out = frames.buffer;
  if (r !== 0) {
    out[pos] = (2 << 3) | 0;
    pos = writeVarint(out, pos + 1, r);
  }
  if (n !== 0) {
    out[pos] = (3 << 3) | 2;
    pos = writeVarint(out, pos + 1, n);
    out.set(part.blob, pos);
  }
}
