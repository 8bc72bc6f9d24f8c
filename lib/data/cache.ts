/**
 * On-disk cache of per-clip feature matrices and decoded waveforms, so the second run of a
 * sweep decodes nothing.
 *
 * Keys:
 * - features: sha256(file bytes) under a folder named sha256(canonical JSON of {the resolved
 *   feature config and clip options, the source fingerprint of lib/audio + lib/features});
 * - waveforms: sha256(file bytes) under a folder named by the sample rate and the fingerprint
 *   of lib/audio.
 * The source fingerprint makes a change to the decoder, resampler or feature code invalidate
 * old entries instead of silently serving stale features.
 *
 * Entries are float32 .npy files (open them with numpy.load), written atomically. An entry that
 * does not parse, has the wrong shape or holds a non-finite value is treated as a miss and
 * rewritten.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Matrix } from '../features/matrix.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';
import { decodeNpyFloat32, encodeNpyFloat32 } from '../util/npy.ts';
import { REPO_ROOT } from './paths.ts';

const require = createRequire(import.meta.url);

export const DEFAULT_CACHE_DIR = join(REPO_ROOT, '.cache', 'features');
/** Bump when the cache layout changes. */
const CACHE_FORMAT = 1;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so equal configs give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

const fingerprints = new Map<string, string>();

/**
 * sha256 over what the TypeScript sources (not tests, not fixtures) under the given folders do: each
 * file minified by esbuild (comments and layout gone, so editing a comment keeps the cache), plus the
 * versions of the packages that change samples or features (the FFT; the mp3 decoder is lib/audio/minimp3Wasm.ts,
 * a source file like the rest). Memoised.
 */
export function sourceFingerprint(folders: readonly string[]): string {
  const id = folders.join('\n');
  const known = fingerprints.get(id);
  if (known) return known;
  const digest = fingerprintFiles(folders.flatMap((folder) => listSources(join(REPO_ROOT, folder))), REPO_ROOT);
  fingerprints.set(id, digest);
  return digest;
}

/** Packages whose code turns bytes into samples or samples into features. */
const SAMPLE_PACKAGES = ['fft.js'];

/** The fingerprint of these source files (paths relative to `root` are part of it). */
export function fingerprintFiles(files: readonly string[], root: string): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file.slice(root.length)).update('\0');
    hash.update(codeOf(readFileSync(file, 'utf8'), file)).update('\0');
  }
  for (const name of SAMPLE_PACKAGES) hash.update(`${name}@${packageVersion(name)}`).update('\0');
  return hash.digest('hex');
}

function codeOf(source: string, file: string): string {
  try {
    const esbuild = require('esbuild') as typeof import('esbuild');
    return esbuild.transformSync(source, { loader: 'ts', minify: true, legalComments: 'none', sourcefile: file }).code;
  } catch {
    return source; // without esbuild: the text itself (a comment edit then invalidates the cache)
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    try {
      // packages whose exports hide package.json: walk up from the entry point
      let dir = dirname(require.resolve(name));
      while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  }
}

function listSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__fixtures__' && name !== 'node_modules') out.push(...listSources(path));
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

export interface FeatureCacheOptions {
  /** Cache folder (default `<repo>/.cache/features`). */
  dir?: string;
  /** Override the code fingerprints (tests); default: sources of lib/audio and lib/features. */
  codeVersion?: { audio: string; features: string };
}

export class FeatureCache {
  readonly dir: string;
  private readonly code: { audio: string; features: string };

  constructor(opts: FeatureCacheOptions = {}) {
    this.dir = opts.dir ?? DEFAULT_CACHE_DIR;
    this.code = opts.codeVersion ?? {
      audio: sourceFingerprint(['lib/audio']),
      features: sourceFingerprint(['lib/audio', 'lib/features']),
    };
  }

  /** The folder key for one feature setting: `settings` is the resolved FeatureConfig plus clip options. */
  featureKey(settings: object): string {
    return sha256Hex(canonicalJson({ format: CACHE_FORMAT, code: this.code.features, settings })).slice(0, 32);
  }

  readFeatures(contentHash: string, key: string, shape: readonly [number, number]): Matrix | null {
    const data = this.readNpy(this.featurePath(contentHash, key), shape);
    return data ? { data, rows: shape[0], cols: shape[1] } : null;
  }

  /** Stores a matrix; the first write under a key also records the settings as settings.json. */
  writeFeatures(contentHash: string, key: string, matrix: Matrix, settings?: object): void {
    const settingsFile = join(this.dir, key, 'settings.json');
    if (settings && !existsSync(settingsFile)) writeJsonAtomic(settingsFile, sortKeys(settings));
    writeFileAtomic(this.featurePath(contentHash, key), encodeNpyFloat32(matrix.data, [matrix.rows, matrix.cols]));
  }

  /** A [rows, cols] matrix of any row count stored under `key` (frame sequences), or null. */
  readMatrix(contentHash: string, key: string, cols: number): Matrix | null {
    const path = this.featurePath(contentHash, key);
    if (!existsSync(path)) return null;
    try {
      const npy = decodeNpyFloat32(readFileSync(path));
      if (npy.shape.length !== 2 || npy.shape[1] !== cols || npy.data.length !== npy.shape[0] * cols) return null;
      for (let i = 0; i < npy.data.length; i++) if (!Number.isFinite(npy.data[i])) return null;
      return { data: npy.data, rows: npy.shape[0], cols };
    } catch {
      return null;
    }
  }

  /** The whole decoded waveform at `sampleRate` (before pad/trim), or null. */
  readWaveform(contentHash: string, sampleRate: number): Float32Array | null {
    return this.readNpy(this.waveformPath(contentHash, sampleRate), null);
  }

  writeWaveform(contentHash: string, sampleRate: number, samples: Float32Array): void {
    writeFileAtomic(this.waveformPath(contentHash, sampleRate), encodeNpyFloat32(samples, [samples.length]));
  }

  featurePath(contentHash: string, key: string): string {
    return join(this.dir, key, `${contentHash}.npy`);
  }

  waveformPath(contentHash: string, sampleRate: number): string {
    return join(this.dir, `waveform-${sampleRate}-${this.code.audio.slice(0, 16)}`, `${contentHash}.npy`);
  }

  private readNpy(path: string, shape: readonly number[] | null): Float32Array | null {
    if (!existsSync(path)) return null;
    try {
      const npy = decodeNpyFloat32(readFileSync(path));
      const want = shape ?? [npy.data.length];
      if (npy.shape.length !== want.length || npy.shape.some((n, i) => n !== want[i])) return null;
      if (npy.data.length !== want.reduce((a, b) => a * b, 1)) return null;
      for (let i = 0; i < npy.data.length; i++) if (!Number.isFinite(npy.data[i])) return null;
      return npy.data;
    } catch {
      return null;
    }
  }
}
