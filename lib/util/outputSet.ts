/**
 * A run's output folder written as one unit. Everything is written into a staging folder beside the
 * target (`.<name>.partial`, locked with the writing process's pid); `commit` writes the manifest (capuchin-run.json: run id, job, every file with its size) last and
 * swaps the staging folder in with renames, so a reader sees the previous set or the new one, never a mix,
 * and never a file left from an earlier run. Checked before any work starts: the target is a folder (or
 * absent), creatable and writable, and empty or an earlier capuchin set.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { makeDirs } from './atomic.ts';

export const MANIFEST_FILE = 'capuchin-run.json';
const LOCK_FILE = '.lock';

/** Where a run into `target` stages its files: beside it, so relative links from the set stay right, and one fixed name, so --resume finds it. */
export function stagingDir(target: string): string {
  const abs = resolve(target);
  return join(dirname(abs), `.${basename(abs)}.partial`);
}

function lockOwner(dir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Manifest {
  runId: string;
  job: string;
  createdAt: string;
  files: { path: string; bytes: number; sha256: string }[];
}

export class OutputSetError extends Error {
  override readonly name = 'OutputSetError';
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? listFiles(path, root) : [relative(root, path)];
  });
}

export class OutputSet {
  readonly runId: string;
  /** The folder to write into until `commit`. */
  readonly dir: string;
  readonly target: string;
  private committed = false;

  private constructor(target: string, readonly job: string) {
    this.target = target;
    this.runId = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.dir = stagingDir(target);
  }

  /** Check the target and create the staging folder; throws OutputSetError with the fix before any work. */
  static open(target: string, job: string, opts: { formerMarker?: string; resume?: boolean; resumable?: boolean } = {}): OutputSet {
    if (typeof target !== 'string' || target.trim() === '') throw new OutputSetError(`capuchin ${job}: the output folder is an empty string. Fix: pass --out DIR.`);
    const abs = resolve(target);
    if (existsSync(abs)) {
      if (!statSync(abs).isDirectory()) throw new OutputSetError(`capuchin ${job}: the output folder ${abs} is a file. Fix: pass --out with a folder path (new, empty, or written by an earlier capuchin run).`);
      const entries = readdirSync(abs);
      // formerMarker: a file that only this job writes, so a folder written before manifests existed is replaced too
      const ours = entries.includes(MANIFEST_FILE) || (opts.formerMarker !== undefined && entries.includes(opts.formerMarker));
      if (entries.length > 0 && !ours) {
        throw new OutputSetError(
          `capuchin ${job}: the output folder ${abs} holds other files (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) and is not a capuchin output set; ` +
            'a run replaces its whole output folder. Fix: pass a new or empty --out folder.',
        );
      }
    }
    const set = new OutputSet(abs, job);
    if (existsSync(set.dir)) {
      const owner = lockOwner(set.dir);
      if (owner !== null && owner !== process.pid && processAlive(owner)) {
        throw new OutputSetError(`capuchin ${job}: another run (process ${owner}) is writing ${abs} now. Fix: wait for it, or pass another --out folder.`);
      }
      if (opts.resumable && !opts.resume) {
        throw new OutputSetError(
          `capuchin ${job}: an earlier run into ${abs} did not finish; its finished files are kept in ${set.dir}. ` +
            `Fix: pass --resume to continue it, or delete ${set.dir} to start over.`,
        );
      }
      if (!opts.resume) rmSync(set.dir, { recursive: true, force: true }); // a dead run's leftovers, not resumable: start over
    }
    try {
      makeDirs(set.dir);
      writeFileSync(join(set.dir, LOCK_FILE), String(process.pid));
    } catch (err) {
      rmSync(set.dir, { recursive: true, force: true });
      throw new OutputSetError(`capuchin ${job}: cannot write beside the output folder ${abs} (${(err as Error).message}). Fix: pass --out in a folder you can write to.`);
    }
    return set;
  }

  /** Remove what an interrupted run staged, except `keep` (names at the top of the staging folder, e.g. its journal). */
  clearExcept(keep: readonly string[]): void {
    for (const name of readdirSync(this.dir)) if (name !== LOCK_FILE && !keep.includes(name)) rmSync(join(this.dir, name), { recursive: true, force: true });
  }

  /** Write the manifest, then swap the staging folder in place of the target. */
  commit(): Manifest {
    if (this.committed) throw new OutputSetError('capuchin: output set committed twice');
    rmSync(join(this.dir, LOCK_FILE), { force: true });
    const files = listFiles(this.dir).sort().map((path) => ({ path, bytes: statSync(join(this.dir, path)).size, sha256: fileHash(join(this.dir, path)) }));
    const manifest: Manifest = { runId: this.runId, job: this.job, createdAt: new Date().toISOString(), files };
    writeFileSync(join(this.dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    const old = join(dirname(this.target), `.${basename(this.target)}.replaced-${this.runId}`);
    if (existsSync(this.target)) renameSync(this.target, old);
    renameSync(this.dir, this.target);
    rmSync(old, { recursive: true, force: true });
    this.committed = true;
    return manifest;
  }

  /** Drop the staging folder (the target keeps its previous set); `keep` leaves it for --resume, unlocked. */
  abort(opts: { keep?: boolean } = {}): void {
    if (this.committed) return;
    if (opts.keep) rmSync(join(this.dir, LOCK_FILE), { force: true });
    else rmSync(this.dir, { recursive: true, force: true });
  }

  /** The final path of a file written at `stagedPath` (for logs and returned paths). */
  finalPath(stagedPath: string): string {
    return stagedPath.startsWith(this.dir) ? join(this.target, relative(this.dir, stagedPath)) : stagedPath;
  }
}

/** Run `work` with a staged output set: committed when it returns, dropped when it throws. */
export async function withOutputSet<T>(target: string, job: string, opts: { formerMarker?: string }, work: (set: OutputSet) => T | Promise<T>): Promise<T> {
  const set = OutputSet.open(target, job, opts);
  try {
    const result = await work(set);
    set.commit();
    return result;
  } catch (err) {
    set.abort();
    throw err;
  }
}

/**
 * Refuse a torn or foreign set: `dir` must hold a manifest, and every file it lists with its size.
 * `what` names the reader in the error.
 */
export function readCompleteSet(dir: string, what: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new OutputSetError(`capuchin ${what}: ${dir} has no ${MANIFEST_FILE}, so it is not a complete capuchin output set (a run was interrupted, or the files were copied by hand). Fix: re-run the job into that folder.`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (err) {
    throw new OutputSetError(`capuchin ${what}: ${path} is not valid JSON (${(err as Error).message}). Fix: re-run the job into that folder.`);
  }
  for (const f of manifest.files ?? []) {
    const file = join(dir, f.path);
    if (!existsSync(file)) throw new OutputSetError(`capuchin ${what}: ${dir} is torn: ${f.path} (listed in ${MANIFEST_FILE}) is missing. Fix: re-run the job into that folder.`);
    if (statSync(file).size !== f.bytes) throw new OutputSetError(`capuchin ${what}: ${dir} is torn: ${f.path} has ${statSync(file).size} bytes, ${MANIFEST_FILE} says ${f.bytes}. Fix: re-run the job into that folder.`);
    if (f.sha256 && fileHash(file) !== f.sha256) throw new OutputSetError(`capuchin ${what}: ${dir} is torn: ${f.path} changed after the run wrote it (its sha256 differs from ${MANIFEST_FILE}). Fix: re-run the job into that folder.`);
  }
  return manifest;
}
