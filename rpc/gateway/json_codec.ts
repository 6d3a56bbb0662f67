// Protobuf JSON as etcd's gateway speaks it: grpc-gateway v1's default marshaler is jsonpb with OrigName=true
// and EmitDefaults=false, so field names are the .proto names (etcd's protos mix snake_case "cluster_id" with
// camelCase "dbSize", "ID", "peerURLs" — the names as written), default values are omitted, 64-bit integers are
// strings, uint32/int32 numbers, bytes standard base64, enums by name. Requests accept either field-name form,
// numbers or strings for 64-bit fields, enum names or numbers, and ignore unknown fields (AllowUnknownFields).
import { create, fromJsonString, isMessage, toJsonString, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

const decoder = new TextDecoder("utf-8", { fatal: false });

/** The request message of a JSON body; an empty (or all-whitespace) body is the default message, as in etcd. */
export function decodeJson<D extends DescMessage>(schema: D, body: Uint8Array | string): MessageShape<D> {
  const text = typeof body === "string" ? body : decoder.decode(body);
  if (text.trim() === "") return create(schema);
  try {
    return fromJsonString(schema, text, { ignoreUnknownFields: true });
  } catch (e) {
    throw new ConnectError(e instanceof Error ? e.message : String(e), Code.InvalidArgument);
  }
}

/** The JSON text of a response; `msg` may be a message or the init shape a service returned. */
export function encodeJson<D extends DescMessage>(schema: D, msg: MessageShape<D> | MessageInitShape<D>): string {
  const m = isMessage(msg, schema) ? msg : create(schema, msg as MessageInitShape<D>);
  return toJsonString(schema, m, { useProtoFieldName: true });
}
