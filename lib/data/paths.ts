import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (lib/data/../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The embedded sample shipped with the project. */
export const SAMPLE_DATA_DIR = join(REPO_ROOT, 'data', 'sample');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'artifacts');
/** The trained model the project ships (models/default/MODEL.md describes it). */
export const DEFAULT_MODEL_DIR = join(REPO_ROOT, 'models', 'default');
/** The team's labels of the Kaggle forest recordings 00–49 (data/labels/README.md). */
export const KAGGLE_LABELS_DIR = join(REPO_ROOT, 'data', 'labels');

/** Kaggle layout folder names. */
export const POSITIVE_DIR = 'Parsed_Capuchinbird_Clips';
export const NEGATIVE_DIR = 'Parsed_Not_Capuchinbird_Clips';
export const FOREST_DIR = 'Forest Recordings';

/**
 * Where the data lives: `--data DIR`, else $CAPUCHIN_DATA, else the embedded sample.
 * Throws a clear error when the folder does not exist.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.CAPUCHIN_DATA ?? SAMPLE_DATA_DIR;
  const dir = resolve(chosen);
  if (!existsSync(dir)) {
    const from = flag ? '--data' : env.CAPUCHIN_DATA ? 'CAPUCHIN_DATA' : 'the embedded sample';
    throw new Error(
      `capuchin: data folder ${dir} (from ${from}) does not exist. Fix: pass --data DIR pointing at the Kaggle download ` +
        `(the folder holding ${POSITIVE_DIR}/, ${NEGATIVE_DIR}/ and '${FOREST_DIR}/'), or set CAPUCHIN_DATA.`,
    );
  }
  return dir;
}

/** A timestamped default output folder: artifacts/<name>/<YYYYMMDD-HHMMSS>/. */
export function defaultOutDir(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(ARTIFACTS_DIR, name, stamp);
}
