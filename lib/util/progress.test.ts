import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSec, Progress, setProgressSink, stderrProgressSink, type ProgressSink } from './progress.ts';

function recordingSink(everyMs: number) {
  const bars: { label: string; lines: [string, boolean][] }[] = [];
  const sink: ProgressSink = {
    everyMs,
    open(label) {
      const bar = { label, lines: [] as [string, boolean][] };
      bars.push(bar);
      return { write: (line, finished) => bar.lines.push([line, finished]) };
    },
  };
  return { sink, bars };
}

test('a Progress sends its lines to the sink set when it was created, throttled, the final line always', () => {
  const { sink, bars } = recordingSink(60_000);
  const previous = setProgressSink(sink);
  try {
    assert.equal(previous, stderrProgressSink, 'stderr by default');
    const p = new Progress('clips', 3);
    p.update(1);
    p.update(2); // within everyMs: dropped
    p.update(3, '| done');
    assert.equal(bars.length, 1, 'one bar, opened once');
    assert.equal(bars[0]!.label, 'clips');
    assert.deepEqual(bars[0]!.lines.map(([l, f]) => [l.replace(/elapsed .*/, ''), f]), [['clips 1/3  ', false], ['clips 3/3 | done ', true]]);
  } finally {
    assert.equal(setProgressSink(), sink);
  }
  // Back on stderr: a new Progress writes there (one line per update off a TTY).
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
  try {
    new Progress('x', 1, 0).update(1);
  } finally {
    process.stderr.write = original;
  }
  assert.equal(written.length, 1);
  assert.match(written[0]!, process.stderr.isTTY ? /^\r\x1b\[Kx 1\/1 .*\n$/ : /^x 1\/1  elapsed \d+\.\ds ETA 0\.0s\n$/);
});

test('formatSec', () => {
  assert.equal(formatSec(NaN), '?');
  assert.equal(formatSec(4.25), '4.3s');
  assert.equal(formatSec(125), '2m05s');
  // seconds round before the minutes are taken: never "12m60s" or "60.0s"
  assert.equal(formatSec(779.6), '13m00s');
  assert.equal(formatSec(59.97), '1m00s');
  assert.equal(formatSec(59.94), '59.9s');
});
