/**
 * Bench suite: mp3 decode + resample to 16 kHz mono over the Forest Recordings, on one core, ours
 * (lib/audio streamAudio: minimp3 wasm SIMD + capuchin's polyphase resampler, wasm SIMD kernel) next to
 * `ffmpeg -threads 1 -i f -ac 1 -ar 16000 -f f32le -` (output discarded) on the same files in the same run.
 *
 * The two sides alternate file by file and each file counts its best of `repeats`, so a busy machine slows
 * both alike. Wall seconds make the row; CPU seconds (ours: process.cpuUsage; ffmpeg: the reaped children's
 * time from /proc/self/stat) go in `extra`, with decode-only and resample-only throughput and a check on the
 * first file that our output agrees with ffmpeg's (length, correlation; not timed).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { streamAudio } from '../../lib/audio/load.ts';
import { decodeMp3Chunks } from '../../lib/audio/mp3.ts';
import { createResampler, defaultResampleEngine } from '../../lib/audio/resample.ts';
import { FOREST_DIR } from '../../lib/data/paths.ts';
import { childrenCpuSec } from './load.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

const RATE = 16000;
const ffmpegArgs = (file: string) => ['-v', 'error', '-nostdin', '-threads', '1', '-i', file, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'];

interface Timing {
  wall: number;
  cpu: number;
}

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function hasFfmpeg(): boolean {
  return spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
}

function timeFfmpeg(file: string): Timing {
  const cpu0 = childrenCpuSec();
  const start = performance.now();
  const res = spawnSync('ffmpeg', ffmpegArgs(file), { stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - start) / 1000;
  if (res.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${String(res.stderr).trim()}`);
  return { wall, cpu: childrenCpuSec() - cpu0 };
}

async function timeOurs(file: string): Promise<Timing & { samples: number }> {
  const cpu0 = ownCpu();
  const start = performance.now();
  let samples = 0;
  for await (const chunk of streamAudio(file, { sampleRate: RATE, chunkSec: 60 })) samples += chunk.length;
  return { wall: (performance.now() - start) / 1000, cpu: ownCpu() - cpu0, samples };
}

/** Decode-only and resample-only wall seconds for one file, and its duration. */
async function timeStages(file: string): Promise<{ decode: number; resample: number; audioSec: number }> {
  const parts: Float32Array[] = [];
  let rate = 0;
  let start = performance.now();
  for await (const chunk of decodeMp3Chunks(file)) {
    parts.push(chunk.samples);
    rate = chunk.sampleRate;
  }
  const decode = (performance.now() - start) / 1000;
  start = performance.now();
  const resampler = createResampler(rate, RATE);
  for (const part of parts) resampler.process(part);
  resampler.flush();
  const resample = (performance.now() - start) / 1000;
  return { decode, resample, audioSec: parts.reduce((n, p) => n + p.length, 0) / rate };
}

/** Our output vs ffmpeg's on one file: lengths and the correlation at the best lag within ±0.1 s. */
async function agreement(file: string): Promise<{ ourSamples: number; ffmpegSamples: number; correlation: number; lag: number }> {
  const parts: Float32Array[] = [];
  for await (const chunk of streamAudio(file, { sampleRate: RATE })) parts.push(chunk);
  const ours = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (ours.set(p, at), at + p.length), 0);
  const res = spawnSync('ffmpeg', ffmpegArgs(file), { maxBuffer: 1 << 30 });
  const theirs = new Float32Array(res.stdout.buffer, res.stdout.byteOffset, res.stdout.length / 4);
  let best = { correlation: -1, lag: 0 };
  const from = RATE; // skip the first second
  const to = Math.min(ours.length, theirs.length - 1600, from + 10 * RATE);
  for (let lag = -1600; lag <= 1600; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = from; i < to; i++) {
      const a = ours[i];
      const b = theirs[i + lag];
      ab += a * b;
      aa += a * a;
      bb += b * b;
    }
    const r = ab / Math.sqrt(aa * bb);
    if (r > best.correlation) best = { correlation: r, lag };
  }
  return { ourSamples: ours.length, ffmpegSamples: theirs.length, ...best };
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

export const decodeBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const all = listAudioFiles(join(ctx.dataDir, FOREST_DIR));
  const files = ctx.quick ? all.slice(0, 2) : all;
  const repeats = ctx.quick ? 1 : 3;
  const ffmpeg = hasFfmpeg();

  const best = (n: number) => new Array<number>(n).fill(Infinity);
  const ours = { wall: best(files.length), cpu: best(files.length) };
  const ref = { wall: best(files.length), cpu: best(files.length) };
  const stages = { decode: best(files.length), resample: best(files.length) };
  const audioSecs: number[] = [];
  let outputSamples = 0;
  for (let rep = 0; rep < repeats; rep++) {
    outputSamples = 0;
    for (const [i, file] of files.entries()) {
      const o = await timeOurs(file);
      ours.wall[i] = Math.min(ours.wall[i], o.wall);
      ours.cpu[i] = Math.min(ours.cpu[i], o.cpu);
      outputSamples += o.samples;
      if (ffmpeg) {
        const r = timeFfmpeg(file);
        ref.wall[i] = Math.min(ref.wall[i], r.wall);
        ref.cpu[i] = Math.min(ref.cpu[i], r.cpu);
      }
      const s = await timeStages(file);
      stages.decode[i] = Math.min(stages.decode[i], s.decode);
      stages.resample[i] = Math.min(stages.resample[i], s.resample);
      audioSecs[i] = s.audioSec;
    }
  }

  const audioSec = sum(audioSecs);
  const oursSec = sum(ours.wall);
  const extra: Record<string, number | string> = {
    files: files.length,
    audioSec: Math.round(audioSec),
    repeats,
    outputSamples,
    resampleEngine: defaultResampleEngine(),
    decodeOnlyXRealTime: round(audioSec / sum(stages.decode)),
    resampleOnlyXRealTime: round(audioSec / sum(stages.resample)),
    oursCpuSec: round(sum(ours.cpu), 2),
  };
  const row: BenchRow = {
    task: 'mp3 decode + resample to 16 kHz mono, one core',
    workload: `${files.length} mp3 files, ${audioSec.toFixed(0)} s of audio (48 kHz stereo → 16 kHz mono)`,
    ours: { name: 'capuchin streamAudio (minimp3 wasm SIMD + polyphase Kaiser resampler)', seconds: oursSec, throughput: audioSec / oursSec, unit: '× real time' },
    reference: null,
    speedRatio: null,
    target: 0.8, // issue 12: decode + resample ≥ 0.8× ffmpeg on one core
    extra,
  };
  if (!ffmpeg) return [{ ...row, note: 'reference not run: ffmpeg is not installed (apt-get install ffmpeg)' }];
  const refSec = sum(ref.wall);
  const refCpu = sum(ref.cpu);
  const check = await agreement(files[0]);
  return [
    {
      ...row,
      reference: { name: 'ffmpeg -threads 1 -ac 1 -ar 16000 (swresample), output discarded', seconds: refSec, throughput: audioSec / refSec, unit: '× real time' },
      speedRatio: refSec / oursSec,
      note:
        `wall time, best of ${repeats} per file, the sides alternating file by file; ` +
        `first file: ${check.ourSamples} vs ffmpeg ${check.ffmpegSamples} samples, correlation ${check.correlation.toFixed(4)} at lag ${check.lag}`,
      extra: {
        ...extra,
        ffmpegCpuSec: round(refCpu, 2),
        cpuSpeedRatio: Number.isFinite(refCpu) ? round(refCpu / sum(ours.cpu), 2) : 'n/a',
        agreementCorrelation: round(check.correlation, 4),
        agreementLagSamples: check.lag,
      },
    },
  ];
};
