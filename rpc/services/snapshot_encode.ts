// The Snapshot stream's messages on the gRPC path: SnapshotResponse {header 1, remaining_bytes 2, blob 3} framed
// straight into the responder's buffer from a snapshot part, so each 32 KiB page chunk of the backend file is
// copied once (file → wire buffer) instead of into a message, its encoding and then the wire buffer.
// Invariant: the bytes are toBinary's for {remainingBytes, blob} (no header, as etcd 3.4 sends; seeded test).
import type { SnapshotPart } from "../../engine/server/api.ts";
import type { FrameWriter } from "../grpc/pipe.ts";
import { bytesFieldSize, numberFieldSize, putBytesField, putNumberField } from "./wire_fields.ts";

export function frameSnapshotResponse(frames: FrameWriter, part: SnapshotPart): void {
  const blob = part.blob;
  const at = frames.reserve(numberFieldSize(part.remainingBytes) + (blob.length !== 0 ? bytesFieldSize(blob.length) : 0));
  const out = frames.buffer; // after reserve(): it may have moved to a new buffer
  const pos = putNumberField(out, at, 2, part.remainingBytes);
  if (blob.length !== 0) putBytesField(out, pos, 3, blob);
}
