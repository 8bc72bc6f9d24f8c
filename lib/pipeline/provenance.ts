/**
 * Where a trained model came from, written beside it as provenance.json: the commit (and whether the tree had
 * uncommitted changes), the Node, tfjs and capuchin versions, the backend, the training time, the config, and a
 * checksum of every data file that trained or tuned it, so that anyone can tell whether a rerun used the
 * same inputs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { REPO_ROOT } from '../data/paths.ts';

export const PROVENANCE_FILE = 'provenance.json';

export interface DataDigest {
  /** Files hashed (clips and recordings read for training or tuning). */
  files: number;
  bytes: number;
  /** sha256 of the sorted lines "<sha256 of the file>  <path relative to the data folder>". */
  sha256: string;
}

export interface Provenance {
  createdAt: string;
  /** The repository's commit; `dirty` when the working tree differed from it. Null outside a git checkout. */
  commit: { id: string; dirty: boolean } | null;
  versions: { capuchin: string; node: string; tfjs: string };
  backend: string;
  trainSeconds: number;
  data: DataDigest;
  config: unknown;
}

/** The commit of `repo` and whether its tracked files have uncommitted changes; null without git or a checkout. */
export function gitCommit(repo = REPO_ROOT): Provenance['commit'] {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { id: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return null;
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One checksum over `files` (their bytes and their paths relative to `root`), order-independent. */
export async function dataDigest(files: readonly string[], root: string): Promise<DataDigest> {
  const lines: string[] = [];
  let bytes = 0;
  for (const f of files) {
    bytes += statSync(f).size;
    lines.push(`${await fileSha256(f)}  ${relative(root, f).split('\\').join('/')}`);
  }
  lines.sort();
  return { files: files.length, bytes, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
}

export function provenance(parts: { backend: string; trainSeconds: number; data: DataDigest; config: unknown }, now = new Date()): Provenance {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  return {
    createdAt: now.toISOString(),
    commit: gitCommit(),
    versions: { capuchin: pkg.version, node: process.version, tfjs: tf.version.tfjs },
    ...parts,
  };
}
