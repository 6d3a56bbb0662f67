// The value the crash test's child writes for transaction n (shared by child and checker).
export function crashValue(n: number): Uint8Array {
  const len = n % 17 === 0 ? 6000 + (n % 3000) : (n * 37) % 700;
  const v = new Uint8Array(len);
  for (let i = 0; i < len; i++) v[i] = (n + i * 7) & 0xff;
  return v;
}
