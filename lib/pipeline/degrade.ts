/**
 * Degraded copies of recordings, to measure how counting holds up when the audio is not what the model trained
 * on: much quieter, louder with clipping, under noise, through a low-rate lossy codec. `npm run degrade` writes
 * one folder per degradation (ffmpeg does the work: found on PATH, or $FFMPEG); `experiment --degraded DIR`
 * then scores each field recording's copies with the fold model that never trained on it and counts them with
 * the cross-validated detector (README "Robustness").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { listAudioFiles } from '../audio/listing.ts';
import { Progress } from '../util/progress.ts';

export interface Degradation {
  name: string;
  what: string;
  /** ffmpeg output arguments (filters and codec), after `-i INPUT`. */
  args: readonly string[];
  ext: string;
}

/** Lossless FLAC keeps a degradation's samples exactly; 16-bit output saturates what a gain pushed past full scale. */
export const DEGRADATIONS: readonly Degradation[] = [
  { name: 'gain-20', what: '20 dB quieter (16-bit FLAC)', args: ['-af', 'volume=-20dB', '-c:a', 'flac', '-sample_fmt', 's16'], ext: 'flac' },
  { name: 'gain+12-clipped', what: '12 dB louder, clipped at full scale (16-bit FLAC)', args: ['-af', 'volume=12dB', '-c:a', 'flac', '-sample_fmt', 's16'], ext: 'flac' },
  {
    name: 'pink-noise',
    what: 'pink noise added at −35 dBFS RMS (16-bit FLAC)',
    args: ['-filter_complex', 'anoisesrc=color=pink:amplitude=0.13:seed=7[n];[0:a][n]amix=inputs=2:duration=first:normalize=0', '-c:a', 'flac', '-sample_fmt', 's16'],
    ext: 'flac',
  },
  { name: 'opus-24k', what: 'Opus at 24 kbit/s', args: ['-c:a', 'libopus', '-b:a', '24k'], ext: 'opus' },
];

/** The ffmpeg to run: $FFMPEG, else `ffmpeg` on PATH; a clear error when there is none. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): string {
  const candidate = env.FFMPEG ?? 'ffmpeg';
  try {
    execFileSync(candidate, ['-hide_banner', '-version'], { stdio: 'ignore' });
    return candidate;
  } catch {
    throw new Error(`capuchin: degrade needs ffmpeg and ${env.FFMPEG ? `$FFMPEG (${env.FFMPEG})` : "'ffmpeg' on PATH"} does not run. Fix: install ffmpeg (Debian: apt-get install ffmpeg; macOS: brew install ffmpeg) or set FFMPEG to its path.`);
  }
}

export interface DegradeOptions {
  files: readonly string[];
  outDir: string;
  /** Degradations by name (default: all). */
  only?: readonly string[];
  ffmpeg?: string;
  log?: (line: string) => void;
}

/** Write OUT/<degradation>/<name>.<ext> for every file and degradation; existing copies are kept (rerun resumes). */
export function degradeRecordings(opts: DegradeOptions): { written: number; kept: number; degradations: Degradation[] } {
  const chosen = opts.only ? opts.only.map((n) => DEGRADATIONS.find((d) => d.name === n) ?? unknown(n)) : [...DEGRADATIONS];
  const ffmpeg = opts.ffmpeg ?? findFfmpeg();
  const progress = new Progress('degraded copies', opts.files.length * chosen.length);
  let written = 0;
  let kept = 0;
  for (const d of chosen) {
    const dir = join(opts.outDir, d.name);
    mkdirSync(dir, { recursive: true });
    for (const file of opts.files) {
      const out = join(dir, `${basename(file, extname(file))}.${d.ext}`);
      if (existsSync(out)) kept++;
      else {
        const partial = `${out}.partial.${d.ext}`;
        execFileSync(ffmpeg, ['-v', 'error', '-y', '-i', file, ...d.args, partial], { stdio: ['ignore', 'ignore', 'pipe'] });
        renameSync(partial, out); // a copy is there whole or not at all
        written++;
      }
      progress.update(written + kept, `| ${d.name} ${basename(file)}`);
    }
  }
  opts.log?.(`degraded copies: ${written} written, ${kept} already there, in ${chosen.map((d) => d.name).join(', ')} under ${opts.outDir}`);
  return { written, kept, degradations: chosen };
}

function unknown(name: string): never {
  throw new Error(`capuchin: no degradation '${name}'. Fix: use one of ${DEGRADATIONS.map((d) => d.name).join(', ')}`);
}

/**
 * The degradation folders under `root` (each a folder of copies), with, for each of `names` (file names of the
 * originals), its copy in that folder (same base name, any audio extension) or null.
 */
export function readDegradedFolders(root: string, names: readonly string[]): { name: string; copies: (string | null)[] }[] {
  if (!existsSync(root)) throw new Error(`capuchin: --degraded ${root} does not exist. Fix: write it with npm run degrade -- --recordings DIR --out ${root}`);
  const folders = DEGRADATIONS.map((d) => d.name).filter((n) => existsSync(join(root, n)));
  if (!folders.length) throw new Error(`capuchin: --degraded ${root} holds none of the folders ${DEGRADATIONS.map((d) => d.name).join(', ')}. Fix: point it at the --out of npm run degrade`);
  return folders.map((name) => {
    const byBase = new Map(listAudioFiles(join(root, name)).map((f) => [basename(f, extname(f)), f]));
    return { name, copies: names.map((n) => byBase.get(basename(n, extname(n))) ?? null) };
  });
}
