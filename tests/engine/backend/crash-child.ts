// Child process for the crash test: commits transactions in a loop on FILE and prints each committed
// transaction number after commit() returns. Transaction n writes data/n:<n> (a value derived from n, some
// large enough for overflow pages), deletes data/n:<n-50>, and sets meta/last = n. With "defer" as the second
// argument each commit defers its fdatasyncs to the thread pool (commit_sync.ts): when n is printed, n - 1 is durable.
import { DB } from "../../../engine/backend/db.ts";
import { crashValue } from "./crash-value.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const db = DB.open(process.argv[2]);
let n = db.view((tx) => {
  const v = tx.bucket(enc("meta"))?.get(enc("last"));
  return v ? Number(new TextDecoder().decode(v)) : 0;
});
const deferSync = process.argv[3] === "defer";
for (;;) {
  n++;
  const tx = db.begin(true);
  const data = tx.createBucketIfNotExists(enc("data"));
  data.put(enc(`n:${n}`), crashValue(n));
  data.delete(enc(`n:${n - 50}`));
  tx.createBucketIfNotExists(enc("meta")).put(enc("last"), enc(String(n)));
  tx.commit({ deferSync });
  process.stdout.write(`${n}\n`);
  if (deferSync) await new Promise((r) => setImmediate(r)); // let the thread pool's callbacks run sometimes
}
