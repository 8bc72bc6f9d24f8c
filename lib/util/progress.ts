/**
 * One-line progress with ETA. By default it writes to stderr so stdout stays machine-readable:
 * on a TTY the line is redrawn in place; otherwise (CI, pipes) it prints at most every `everyMs`.
 *
 * Where the lines go is a ProgressSink; setProgressSink() replaces the stderr one for every
 * Progress created afterwards. The notebooks do (lib/notebook/display.ts): inside a Jupyter kernel
 * stderr shows as red boxes that read as errors, so there each bar is one plain-text output that
 * updates in place.
 */

/** Where the lines of one progress bar go. */
export interface ProgressLine {
  write(line: string, finished: boolean): void;
}

export interface ProgressSink {
  /** Least milliseconds between two lines of a bar (the final line always goes out). */
  readonly everyMs: number;
  /** A place for one bar's lines, opened when its first line is written. */
  open(label: string): ProgressLine;
}

/** The default: stderr, redrawn in place on a TTY, one line per update otherwise. */
export const stderrProgressSink: ProgressSink = {
  get everyMs() {
    return process.stderr.isTTY ? 200 : 5000;
  },
  open: () => ({
    write(line, finished) {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}${finished ? '\n' : ''}`);
      else process.stderr.write(line + '\n');
    },
  }),
};

let currentSink: ProgressSink = stderrProgressSink;

/** Send the lines of every Progress created from now on to `sink` (none: back to stderr). Returns the sink it replaced. */
export function setProgressSink(sink?: ProgressSink): ProgressSink {
  const previous = currentSink;
  currentSink = sink ?? stderrProgressSink;
  return previous;
}

export class Progress {
  private readonly start = Date.now();
  private lastPrint = 0;
  private readonly sink = currentSink;
  private readonly everyMs: number;
  private out?: ProgressLine;

  constructor(
    private readonly label: string,
    private readonly total: number,
    everyMs?: number,
  ) {
    this.everyMs = everyMs ?? this.sink.everyMs;
  }

  update(done: number, extra = ''): void {
    const now = Date.now();
    const finished = done >= this.total;
    if (!finished && now - this.lastPrint < this.everyMs) return;
    this.lastPrint = now;
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const line = `${this.label} ${done}/${this.total} ${extra} elapsed ${formatSec(elapsed)} ETA ${formatSec(eta)}`;
    (this.out ??= this.sink.open(this.label)).write(line, finished);
  }
}

export function formatSec(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  if (sec < 59.95) return `${sec.toFixed(1)}s`; // 59.96 would print as "60.0s"
  const whole = Math.round(sec); // round first, so 779.6 s is 13m00s, never 12m60s
  const m = Math.floor(whole / 60);
  return `${m}m${(whole - m * 60).toString().padStart(2, '0')}s`;
}
