// The check commands' progress bar draws what pb.v1 draws: plain counters and percent without a terminal,
// the "Bom !" bar padded to the terminal width with one, the elapsed time and a newline at finish().
import { expect, test } from "bun:test";
import { goSeconds, ProgressBar } from "../../../../cli/ctl/check/progress_bar.ts";

function capture() {
  let out = "";
  return { sink: { out: (c: string | Uint8Array) => void (out += String(c)), err: () => undefined }, text: () => out };
}

test("without a terminal: counters and percent only, final line with the elapsed time", () => {
  const c = capture();
  const bar = new ProgressBar(60, c.sink, 0).start();
  bar.add(30);
  bar.finish();
  expect(c.text()).toBe("\r 0 / 60    0.00%\r 30 / 60   50.00% 0s\n");
  bar.finish();
  expect(c.text()).toEndWith("0s\n");
});

test("with an 80-column terminal: the bar fills the line", () => {
  const c = capture();
  const bar = new ProgressBar(60, c.sink, 80).start();
  bar.add(30);
  bar.finish();
  const last = c.text().split("\r").at(-1)!;
  expect(last).toBe(` 30 / 60 B${"o".repeat(28)}m${" ".repeat(29)}!  50.00% 0s\n`);
  expect(last.length).toBe(81);
  expect(c.text().split("\r")[1]).toBe(` 0 / 60 B${" ".repeat(62)}!   0.00%`);
});

test("stop() ends the bar without a final line", () => {
  const c = capture();
  const bar = new ProgressBar(10, c.sink, 0).start();
  bar.stop();
  bar.finish();
  expect(c.text()).toBe("\r 0 / 10    0.00%");
});

test("Go's Duration.String of whole seconds", () => {
  expect([0, 5, 60, 61, 3600, 3725].map(goSeconds)).toEqual(["0s", "5s", "1m0s", "1m1s", "1h0m0s", "1h2m5s"]);
});
