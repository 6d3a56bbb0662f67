// NewPrinter(--write-out, --hex): the Printer for a format name, or undefined for an unknown format (etcdctl
// then fails with "unsupported output format"). `tableEverywhere` is bunetcd's extra (table for every result).
import type { Sink } from "../io.ts";
import { FieldsPrinter } from "./fields.ts";
import { JsonPrinter } from "./json.ts";
import { ProtobufPrinter } from "./protobuf.ts";
import { SimplePrinter } from "./simple.ts";
import { TablePrinter } from "./table.ts";
import type { Printer } from "./types.ts";

export function newPrinter(format: string, isHex: boolean, sink: Sink, tableEverywhere: boolean): Printer | undefined {
  switch (format) {
    case "simple":
      return new SimplePrinter(sink, isHex);
    case "fields":
      return new FieldsPrinter(sink);
    case "json":
      return new JsonPrinter(sink);
    case "protobuf":
      return new ProtobufPrinter(sink);
    case "table":
      return new TablePrinter(sink, tableEverywhere, isHex);
  }
  return undefined;
}
