/**
 * One-line terminal progress with ETA. Writes to stderr so stdout stays machine-readable.
 * On a TTY the line is redrawn in place; otherwise (CI, pipes) it prints at most every `everyMs`.
 */
export class Progress {
  private readonly start = Date.now();
  private lastPrint = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly everyMs = process.stderr.isTTY ? 200 : 5000,
  ) {}

  update(done: number, extra = ''): void {
    const now = Date.now();
    const finished = done >= this.total;
    if (!finished && now - this.lastPrint < this.everyMs) return;
    this.lastPrint = now;
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const line = `${this.label} ${done}/${this.total} ${extra} elapsed ${formatSec(elapsed)} ETA ${formatSec(eta)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}${finished ? '\n' : ''}`);
    else process.stderr.write(line + '\n');
  }
}

export function formatSec(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60);
  return `${m}m${Math.round(sec - m * 60).toString().padStart(2, '0')}s`;
}
