/**
 * Bench suite: STFT magnitude (320/32/512 framing) and log-mel (100 bands, dB re the recording's max)
 * over the Forest Recordings at 16 kHz, ours next to numpy/scipy doing the same computation in the
 * same run. Decoding (lib/audio loadAudio) is not timed. Each side's time is the best of `repeats`
 * passes over all files, the two sides' passes alternating; both sides' outputs are checksummed and
 * must agree. The reference runs with the machine's default BLAS threads; ours is single-threaded.
 *
 * Ours runs frames two at a time on the wasm SIMD f64x2 kernel (lib/features/fftPairKernel.ts). The extra
 * field `jsFallbackSeconds` keeps the measured reason for that kernel: the same work on the first few files
 * through the JavaScript path the kernel replaced (fft.js RealFft one frame at a time, JS sparse mel bank),
 * next to `oursSecondsSameFiles`, ours on those files.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAudio } from '../../lib/audio/load.ts';
import { listAudioFiles } from '../../lib/audio/listing.ts';
import { FOREST_DIR } from '../../lib/data/paths.ts';
import { powerToDb } from '../../lib/features/db.ts';
import { lnFloat32Bits } from '../../lib/features/ln.ts';
import type { Matrix } from '../../lib/features/matrix.ts';
import { PCEN_INPUT_SCALE, pcenRowsJs, pcenSmoothing } from '../../lib/features/pcen.ts';
import { pcenKernel } from '../../lib/features/pcenKernel.ts';
import { concatSamples } from '../../lib/audio/audio.ts';
import { configureFeatures } from '../../lib/features/extractor.ts';
import { MelBank } from '../../lib/features/mel.ts';
import { MelFrames } from '../../lib/features/melFrames.ts';
import { Stft } from '../../lib/features/stft.ts';
import { writeFileAtomic } from '../../lib/util/atomic.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';
import { findPython } from '../../lib/util/executables.ts';

const PYTHON_HINT = 'a python3 with numpy and scipy ($CAPUCHIN_PYTHON, else on PATH; Debian: apt-get install python3-numpy python3-scipy)';
/** files on which ours is also timed against the JavaScript path the wasm kernel replaced */
const FALLBACK_FILES = 4;

/** numpy/scipy reference: the fastest reasonable way (strided frames, scipy.fft.rfft in float32, BLAS matmul). */
const PYTHON_SCRIPT = String.raw`
import json, sys, time
import numpy as np, scipy.fft as sf
args = json.loads(sys.argv[1])
FL, HOP, NFFT, MELS, SR, FMIN, FMAX, AMIN, TOP = 320, 32, 512, 100, 16000, 80.0, 8000.0, 1e-16, 80.0
w = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FL) / FL)).astype(np.float32)
def hz_to_mel(f): return 1127.0 * np.log(1.0 + np.asarray(f, dtype=np.float64) / 700.0)
bm = hz_to_mel(np.linspace(0, SR / 2, NFFT // 2 + 1)[1:])[:, None]
e = np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), MELS + 2)
W = np.maximum(0, np.minimum((bm - e[:-2]) / (e[1:-1] - e[:-2]), (e[2:] - bm) / (e[2:] - e[1:-1])))
M = np.vstack([np.zeros((1, MELS)), W]).astype(np.float32)
def frames(x): return np.lib.stride_tricks.sliding_window_view(x, FL)[::HOP] * w
def stft_mag(x): return np.abs(sf.rfft(frames(x), n=NFFT, axis=1))
def log_mel(x):
    X = sf.rfft(frames(x), n=NFFT, axis=1)
    mel = (X.real ** 2 + X.imag ** 2) @ M
    db = 10 * np.log10(np.maximum(AMIN, mel)) - 10 * np.log10(max(AMIN, float(mel.max())))
    return np.maximum(db, db.max() - TOP)
signals = [np.fromfile(f, dtype='<f4') for f in args['files']]
seconds = {'stft': 0.0, 'logmel': 0.0}
sums = {'stft': [], 'logmel': []}
for x in signals:
    for task, fn in (('stft', stft_mag), ('logmel', log_mel)):
        t = time.perf_counter(); out = fn(x); seconds[task] += time.perf_counter() - t
        sums[task].append(float(out.sum(dtype=np.float64)))
        del out
import scipy
print(json.dumps({'seconds': seconds, 'sums': sums, 'numpy': np.__version__, 'scipy': scipy.__version__}))
`;

interface PythonResult {
  seconds: { stft: number; logmel: number };
  sums: { stft: number[]; logmel: number[] };
  numpy: string;
  scipy: string;
}

function runReference(files: string[]): PythonResult | string {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const python = findPython(['numpy', 'scipy']);
  if (!python) return `reference not run: no ${PYTHON_HINT}`;
  const res = spawnSync(python, ['-c', PYTHON_SCRIPT, JSON.stringify({ files })], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.error) return `reference not run: ${python} failed to start (${res.error.message})`;
  if (res.status !== 0) return `reference not run: ${python} exited ${res.status}: ${res.stderr.trim().split('\n').pop()}`;
  return JSON.parse(res.stdout) as PythonResult;
}

function keepFastest(best: PythonResult | null, pass: PythonResult): PythonResult {
  if (best === null) return pass;
  return { ...best, seconds: { stft: Math.min(best.seconds.stft, pass.seconds.stft), logmel: Math.min(best.seconds.logmel, pass.seconds.logmel) } };
}

/**
 * lib/features/ln.ts's reason: ln of float32 mel powers from their bits against Math.log, on the same values, best
 * of three alternating passes (ms).
 */
function lnAgainstMathLog(values: Float32Array): { lnTableMs: number; mathLogMs: number; lnValues: number } {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let table = Infinity;
  let math = Infinity;
  let sink = 0;
  for (let pass = 0; pass < 3; pass++) {
    let t = performance.now();
    for (let i = 0; i < values.length; i++) sink += lnFloat32Bits(bits[i], values[i]);
    table = Math.min(table, performance.now() - t);
    t = performance.now();
    for (let i = 0; i < values.length; i++) sink += Math.log(values[i]);
    math = Math.min(math, performance.now() - t);
  }
  if (Number.isNaN(sink)) throw new Error('features bench: ln of the mel powers gave NaN');
  return { lnTableMs: Number(table.toFixed(1)), mathLogMs: Number(math.toFixed(1)), lnValues: values.length };
}

/**
 * lib/features/pcenKernel.ts's reason: PCEN's recursion (the shipped model's settings) over the same mel rows from the
 * same smoother state on the wasm kernel and in JavaScript (pcenRowsJs), best of three alternating passes (ms).
 */
function pcenKernelAgainstJs(rows: Matrix): { pcenKernelMs: number; pcenJsMs: number; pcenValues: number } {
  const opts = { timeConstantSec: 0.4, gain: 0.98, bias: 2, power: 0.5, eps: 1e-6, framesPerSec: 50 };
  const params = { b: pcenSmoothing(opts.timeConstantSec, opts.framesPerSec), gain: opts.gain, bias: opts.bias, power: opts.power, biasPow: Math.pow(opts.bias, opts.power), eps: opts.eps, scale: PCEN_INPUT_SCALE };
  const kernel = pcenKernel(rows.cols);
  if (!kernel) return { pcenKernelMs: NaN, pcenJsMs: NaN, pcenValues: rows.data.length };
  const out = new Float32Array(rows.data.length);
  // the same smoother start for both (a steady level)
  const start = () => new Float64Array(rows.cols).fill(1e7);
  let fast = Infinity;
  let js = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    let t = performance.now();
    kernel.rows(rows.data, out, rows.rows, rows.cols, start(), params);
    fast = Math.min(fast, performance.now() - t);
    t = performance.now();
    pcenRowsJs(rows.data, out, rows.rows, rows.cols, start(), opts);
    js = Math.min(js, performance.now() - t);
  }
  return { pcenKernelMs: Number(fast.toFixed(1)), pcenJsMs: Number(js.toFixed(1)), pcenValues: rows.data.length };
}

function agree(ours: number[], theirs: number[]): boolean {
  return ours.length === theirs.length && ours.every((v, i) => Math.abs(v - theirs[i]) <= 1e-4 * Math.max(1, Math.abs(theirs[i])));
}

export const featuresBench: BenchSuite = async (ctx: BenchContext): Promise<BenchRow[]> => {
  const all = listAudioFiles(join(ctx.dataDir, FOREST_DIR));
  const paths = ctx.quick ? all.slice(0, 2) : all;
  const repeats = ctx.quick ? 1 : 3;
  const stft = new Stft({ frameLength: 320, hopLength: 32, fftLength: 512 });
  const mel = configureFeatures({ kind: 'mel', melBins: 100 });
  const dbOpts = { amin: mel.config.amin, topDb: mel.config.topDb };
  // the JavaScript path the wasm SIMD kernel replaced, for the extra fields
  const c = mel.config;
  const framing = { frameLength: c.frameLength, hopLength: c.hopLength, fftLength: c.fftLength, removeDc: c.removeDc, simd: false };
  const jsStft = new Stft({ frameLength: 320, hopLength: 32, fftLength: 512, simd: false });
  const jsMel = new MelFrames(framing, new MelBank({ melBins: c.melBins, spectrogramBins: c.fftLength / 2 + 1, sampleRate: c.melSampleRate, fminHz: c.fminHz, fmaxHz: c.fmaxHz }));
  const f32Files: string[] = [];
  const signals: Float32Array[] = [];
  let audioSec = 0;
  let frames = 0;
  for (const [i, path] of paths.entries()) {
    const { samples } = await loadAudio(path, { sampleRate: 16000 });
    const file = join(ctx.tmpDir, `features-bench-${i}.f32`);
    writeFileAtomic(file, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    f32Files.push(file);
    signals.push(samples);
    audioSec += samples.length / 16000;
    frames += stft.frameCount(samples.length);
  }
  const ours = { stft: Infinity, logmel: Infinity };
  const sums = { stft: [] as number[], logmel: [] as number[] };
  const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
  const sameFiles = { stft: 0, logmel: 0 };
  const fallback = { stft: 0, logmel: 0 };
  let best: PythonResult | null = null;
  let failure: string | null = null;
  // the mel powers of the first files (about 9 M values), for the ln row's extra fields
  const firstRows = signals.slice(0, 2).map((x) => mel.frames(x));
  const ln = lnAgainstMathLog(concatSamples(firstRows.map((m) => m.data)));
  const pcenTimes = pcenKernelAgainstJs({ data: concatSamples(firstRows.map((m) => m.data)), rows: firstRows.reduce((n, m) => n + m.rows, 0), cols: firstRows[0].cols });
  // Alternate ours and the reference pass by pass, so a change in machine load hits both alike.
  for (let rep = 0; rep < repeats; rep++) {
    let tStft = 0;
    let tMel = 0;
    for (const x of signals) {
      let t = performance.now();
      const mag = stft.magnitude(x);
      tStft += performance.now() - t;
      t = performance.now();
      const db = powerToDb(mel.frames(x), dbOpts);
      tMel += performance.now() - t;
      if (rep === 0) {
        sums.stft.push(sum(mag.data));
        sums.logmel.push(sum(db.data));
      }
    }
    if (rep === 0) {
      // ours and the JavaScript path on the first FALLBACK_FILES files, alternating
      for (const x of signals.slice(0, FALLBACK_FILES)) {
        let t = performance.now();
        stft.magnitude(x);
        sameFiles.stft += (performance.now() - t) / 1000;
        t = performance.now();
        jsStft.magnitude(x);
        fallback.stft += (performance.now() - t) / 1000;
        t = performance.now();
        powerToDb(mel.frames(x), dbOpts);
        sameFiles.logmel += (performance.now() - t) / 1000;
        t = performance.now();
        powerToDb(jsMel.frames(x), dbOpts);
        fallback.logmel += (performance.now() - t) / 1000;
      }
    }
    ours.stft = Math.min(ours.stft, tStft / 1000);
    ours.logmel = Math.min(ours.logmel, tMel / 1000);
    const pass = runReference(f32Files);
    if (typeof pass === 'string') {
      failure = pass;
      break;
    }
    best = keepFastest(best, pass);
  }
  const workload = `${paths.length} files, ${audioSec.toFixed(0)} s of audio at 16 kHz, ${frames} frames`;
  const tasks = [
    {
      key: 'stft',
      task: 'STFT magnitude, 320/32/512 periodic Hann (16 kHz)',
      ourName: 'capuchin Stft (wasm SIMD f64x2 radix-2 FFT, two frames a call, + real split)',
      refName: 'numpy strided frames + scipy.fft.rfft float32',
      target: 1.2,
    },
    {
      key: 'logmel',
      task: 'log-mel, 100 TF-style bands on |STFT|², dB re max, top_db 80',
      ourName: 'capuchin MelFrames (wasm SIMD f64x2 FFT + |X|² + sparse bank, two frames a call) + powerToDb (table ln)',
      refName: 'numpy/scipy rfft float32 + BLAS matmul + log10',
      target: 1.0,
    },
  ] as const;
  const fallbackFiles = Math.min(FALLBACK_FILES, signals.length);
  return tasks.map(({ key, task, ourName, refName, target }): BenchRow => {
    const seconds = ours[key];
    const row: BenchRow = {
      task,
      workload,
      ours: { name: ourName, seconds, throughput: audioSec / seconds, unit: '× real time' },
      reference: null,
      speedRatio: null,
      target,
      extra: {
        files: paths.length,
        audioSec: Math.round(audioSec),
        frames,
        repeats,
        fallbackFiles,
        oursSecondsSameFiles: Number(sameFiles[key].toFixed(3)),
        jsFallbackSeconds: Number(fallback[key].toFixed(3)),
        ...(key === 'logmel' ? { ...ln, ...pcenTimes } : {}),
      },
    };
    const ref = best;
    if (ref === null) return { ...row, note: failure ?? 'reference not run' };
    const refSec = ref.seconds[key];
    const same = agree(sums[key], ref.sums[key]);
    return {
      ...row,
      reference: { name: `${refName} (numpy ${ref.numpy}, scipy ${ref.scipy})`, seconds: refSec, throughput: audioSec / refSec, unit: '× real time' },
      speedRatio: refSec / seconds,
      note: same ? 'outputs agree (per-file sums within 1e-4)' : 'WARNING: outputs differ between ours and the reference (per-file sums)',
      extra: { ...row.extra, outputsAgree: same ? 'yes' : 'no' },
    };
  });
};
