// The progress bar etcdctl's check commands draw (gopkg.in/cheggaaa/pb.v1 with Format("Bom !")): redrawn every
// 200 ms as "\r" + counters + bar + percent + time left, padded to the terminal width. The width is that of
// the controlling terminal (/dev/tty, else stdin), as pb measures it, even when stdout is redirected; with no
// terminal the width is 0 and only " cur / total    pp.pp% 00m00s" is drawn (what etcdctl prints to a pipe).
// finish() draws the final state (elapsed time instead of time left) and a newline.
// Invariants: nothing is drawn after finish(); the caller stops() an unfinished bar before printing results
// (etcdctl exits with its bar unfinished when the work ends first).
import { openSync } from "node:fs";
import tty from "node:tty";
import type { Sink } from "../io.ts";

const REFRESH_MS = 200;
const [BAR_START, CURRENT, CURRENT_N, EMPTY, BAR_END] = ["B", "o", "m", " ", "!"];

function terminalWidth(): number {
  try {
    return new tty.WriteStream(openSync("/dev/tty", "r+")).columns ?? 0;
  } catch {
    return tty.isatty(0) ? (new tty.WriteStream(0).columns ?? 0) : 0;
  }
}

/** Go's time.Duration.String() of a whole number of seconds. */
export function goSeconds(total: number): string {
  if (total === 0) return "0s";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** pb's formatDuration for the time-left box: [Nd][Nh]MMmSSs. */
function formatLeft(ms: number): string {
  let sec = Math.floor(ms / 1000);
  let out = "";
  if (sec > 86400) {
    out = `${Math.floor(sec / 86400)}d`;
    sec %= 86400;
  }
  if (sec > 3600) {
    out += `${Math.floor(sec / 3600)}h`;
    sec %= 3600;
  }
  return `${out}${String(Math.floor(sec / 60)).padStart(2, "0")}m${String(sec % 60).padStart(2, "0")}s`;
}

export class ProgressBar {
  private current = 0;
  private previous = 0;
  private startTime = 0;
  private changeTime = 0;
  private finished = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `width` defaults to the terminal's, measured as pb does. */
  constructor(
    private readonly total: number,
    private readonly sink: Sink,
    private readonly width = terminalWidth(),
  ) {}

  start(): this {
    this.startTime = performance.now();
    this.update();
    this.timer = setInterval(() => this.update(), REFRESH_MS);
    return this;
  }

  add(n = 1): void {
    this.current += n;
  }

  private update(): void {
    if (this.current !== this.previous) {
      this.changeTime = performance.now();
      this.previous = this.current;
    }
    this.draw(false);
  }

  private draw(final: boolean): void {
    const { total, current } = this;
    const percentBox = ` ${(total > 0 ? current / (total / 100) : current / 100).toFixed(2).padStart(6)}%`;
    const countersBox = ` ${current} / ${total} `;
    const now = performance.now();
    let timeLeftBox = "";
    if (final) timeLeftBox = ` ${goSeconds(Math.floor((now - this.startTime) / 1000))}`;
    else if (current > 0) {
      const perEntry = (this.changeTime - this.startTime) / current;
      const left = Math.trunc(((total - current) * perEntry - (now - this.changeTime)) / 1000) * 1000;
      if (left > 0) timeLeftBox = ` ${formatLeft(left)}`;
    }
    let barBox = "";
    const size = this.width - (countersBox.length + BAR_START.length + BAR_END.length + percentBox.length + timeLeftBox.length);
    if (size > 0 && total > 0) {
      const curSize = Math.min(Math.ceil((current / total) * size), size);
      const emptySize = Math.max(size - curSize, 0);
      barBox = BAR_START;
      if (emptySize <= 0) barBox += CURRENT.repeat(curSize);
      else if (curSize > 0) barBox += CURRENT.repeat(Math.max(curSize - 1, 0)) + CURRENT_N;
      barBox += EMPTY.repeat(emptySize) + BAR_END;
    }
    const out = countersBox + barBox + percentBox + timeLeftBox;
    this.sink.out(`\r${out}${" ".repeat(Math.max(this.width - out.length, 0))}`);
  }

  /** Stops redrawing without the final line (etcdctl exiting with its bar unfinished). */
  stop(): void {
    clearInterval(this.timer);
    this.finished = true;
  }

  finish(): void {
    if (this.finished) return;
    this.stop();
    this.draw(true);
    this.sink.out("\n");
  }
}
