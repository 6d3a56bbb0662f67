// Test helper process: opens the data directory given as argv[2] with open(), prints "open", and keeps it
// open until its stdin closes (the test owning it then sees the directory locked by another process).
import { open } from "../../../engine/embed/open.ts";

const db = await open({ dir: process.argv[2]!, log: "silent" });
await db.put("held", "yes");
process.stdout.write("open\n");
for await (const _ of Bun.stdin.stream()) {
  // wait for EOF
}
await db.close();
