/**
 * Bench suite: WAV sample decoding, the measurement behind lib/audio/wavSamples.ts being hand-written.
 * A 10-minute 44.1 kHz stereo 16-bit WAV (seeded noise, written with wavefile) decoded to mono float32 by
 * ours (`decodeWav`: header parse + `decodeFramesToMono`) and by wavefile's `getSamples` (planar float64, then
 * the channel mean, as a user of the library would write it), best of 3 each, alternating; the two outputs
 * must agree to float32 rounding (checked, not timed).
 */
import wavefile from 'wavefile';
import { decodeWav } from '../../lib/audio/wav.ts';
import { createRng } from '../../lib/util/random.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

const RATE = 44100;
const REPEATS = 3;

function testWav(seconds: number): Uint8Array {
  const rng = createRng(7);
  const n = RATE * seconds;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    left[i] = Math.round(rng.uniform(-1, 1) * 20000);
    right[i] = Math.round(rng.uniform(-1, 1) * 20000);
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(2, RATE, '16', [left, right]);
  return wav.toBuffer();
}

function wavefileMono(bytes: Uint8Array): Float32Array {
  const wav = new wavefile.WaveFile(bytes);
  const planes = wav.getSamples(false, Float64Array) as unknown as Float64Array[];
  const out = new Float32Array(planes[0].length);
  for (let i = 0; i < out.length; i++) out[i] = (planes[0][i] + planes[1][i]) / 2 / 32768;
  return out;
}

/** Wall seconds of one call. */
function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

export const wavBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const seconds = ctx.quick ? 60 : 600;
  const bytes = testWav(seconds);
  const ours = decodeWav(bytes, 'bench.wav').samples;
  const theirs = wavefileMono(bytes);
  let maxDiff = 0;
  for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
  if (ours.length !== theirs.length || maxDiff > 1e-6) throw new Error(`wav bench: the decoders disagree (lengths ${ours.length}/${theirs.length}, max difference ${maxDiff})`);
  let oursSec = Infinity;
  let refSec = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    oursSec = Math.min(oursSec, timeOnce(() => decodeWav(bytes, 'bench.wav')));
    refSec = Math.min(refSec, timeOnce(() => wavefileMono(bytes)));
  }
  return [
    {
      task: 'WAV 16-bit stereo 44.1 kHz → mono float32 (lib/audio/wavSamples.ts)',
      workload: `${seconds / 60} min of audio, ${(bytes.length / 2 ** 20).toFixed(0)} MiB, best of ${REPEATS}`,
      ours: { name: 'decodeWav (DataView loop)', seconds: oursSec, throughput: seconds / oursSec, unit: '× real time' },
      reference: { name: 'wavefile getSamples + channel mean', seconds: refSec, throughput: seconds / refSec, unit: '× real time' },
      speedRatio: refSec / oursSec,
      target: 1,
      extra: { maxDifference: maxDiff },
    },
  ];
};
