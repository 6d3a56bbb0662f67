// Child process for the crash test: commits transactions in a loop on FILE and prints each committed
// transaction number after commit() returns. Transaction n writes data/n:<n> (a value derived from n, some
// large enough for overflow pages), deletes data/n:<n-50>, and sets meta/last = n.
import { DB } from "../../../engine/backend/db.ts";
import { crashValue } from "./crash-value.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const db = DB.open(process.argv[2]);
let n = db.view((tx) => {
  const v = tx.bucket(enc("meta"))?.get(enc("last"));
  return v ? Number(new TextDecoder().decode(v)) : 0;
});
for (;;) {
  n++;
  db.update((tx) => {
    const data = tx.createBucketIfNotExists(enc("data"));
    data.put(enc(`n:${n}`), crashValue(n));
    data.delete(enc(`n:${n - 50}`));
    tx.createBucketIfNotExists(enc("meta")).put(enc("last"), enc(String(n)));
  });
  process.stdout.write(`${n}\n`);
}
