/**
 * `npm run reproduce`: retrain the shipped model's configuration (experiments/configs/field.json) from the Kaggle
 * data and the repository's labels (data/labels/), tune its detector on the field folds, count recordings 00–49,
 * and set every figure beside the one recorded for the shipped model (models/default/figures.json, the numbers
 * of its MODEL.md). A figure outside its stated range fails the run (exit 1). Recordings 50–99 are never read.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { kaggleClipFolders } from '../data/dataset.ts';
import { FOREST_DIR, KAGGLE_LABELS_DIR, NEGATIVE_DIR, POSITIVE_DIR, REPO_ROOT } from '../data/paths.ts';
import { DEFAULT_RECORDING_ROLES, roleOf } from '../data/roles.ts';
import { loadExperimentConfig } from '../model/experimentConfig.ts';
import { CAPUCHINBIRD_TARGET } from '../records/target.ts';
import { LABELS_CALLS_FILE, LABELS_COUNTS_FILE, readCountLabels } from '../records/labels.ts';
import { linkFolder } from '../util/linkFolder.ts';
import { formatZodIssues } from '../util/zodIssues.ts';
import { WEIGHTS_FILE } from '../model/io.ts';
import { runExperiment, type ExperimentRun } from './experiment.ts';

export const FIGURES_FILE = 'figures.json';
export const SHIPPED_CONFIG = join(REPO_ROOT, 'experiments', 'configs', 'field.json');

const FigureSchema = z.object({ recorded: z.number(), min: z.number().optional(), max: z.number().optional(), what: z.string() }).strict();
const FiguresSchema = z.object({ model: z.string(), config: z.string(), figures: z.record(FigureSchema) }).strict();
export type RecordedFigures = z.infer<typeof FiguresSchema>;

/** The recorded figures of a model folder, validated. */
export function readRecordedFigures(modelDir: string): RecordedFigures {
  const path = join(modelDir, FIGURES_FILE);
  if (!existsSync(path)) throw new Error(`capuchin: ${path} does not exist. Fix: reproduce compares with a model folder that records its figures (models/default/${FIGURES_FILE}).`);
  const parsed = FiguresSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`capuchin: ${path}: ${formatZodIssues(parsed.error, { prefix: '', root: '(root)' })}`);
  return parsed.data;
}

/** The figures of a reproduced run, by the names figures.json uses. */
export function runFigures(run: ExperimentRun): Record<string, number | null> {
  const cv = run.result.counting?.tuning?.cv ?? null;
  const held = run.count?.evaluation?.holdout ?? null;
  return {
    clip_roc_auc: run.result.metrics.roc_auc,
    clip_f1: run.result.metrics.f1,
    field_cv_event_f1: cv?.f1 ?? null,
    field_cv_mae: cv?.mae ?? null,
    field_cv_exact: cv?.exactRate ?? null,
    holdout_mae: held?.mae ?? null,
    holdout_exact: held?.exactRate ?? null,
    holdout_event_f1: held?.events?.f1 ?? null,
  };
}

export interface FigureRow {
  name: string;
  what: string;
  recorded: number;
  reproduced: number | null;
  range: string;
  ok: boolean;
}

/** Each recorded figure beside its reproduction; a figure not reproduced, or outside [min, max], is not ok. */
export function compareFigures(recorded: RecordedFigures, reproduced: Record<string, number | null>): FigureRow[] {
  return Object.entries(recorded.figures).map(([name, f]) => {
    const value = reproduced[name] ?? null;
    const ok = value !== null && Number.isFinite(value) && (f.min === undefined || value >= f.min - 1e-9) && (f.max === undefined || value <= f.max + 1e-9);
    const range = `${f.min === undefined ? '' : `≥ ${f.min}`}${f.min !== undefined && f.max !== undefined ? ', ' : ''}${f.max === undefined ? '' : `≤ ${f.max}`}`;
    return { name, what: f.what, recorded: f.recorded, reproduced: value, range, ok };
  });
}

export function figuresTable(rows: readonly FigureRow[]): string {
  const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const lines = rows.map((r) => `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(18)} recorded ${fmt(r.recorded)}  reproduced ${fmt(r.reproduced)}  (${r.range})  ${r.what}`);
  return lines.join('\n');
}

/** The Kaggle layout's clip folders and recordings 00–49 under `dataDir`, or a clear error naming what is missing. */
export function checkKaggleData(dataDir: string): string[] {
  const labels = readCountLabels(KAGGLE_LABELS_DIR)!;
  const missing = [POSITIVE_DIR, NEGATIVE_DIR].filter((d) => !existsSync(join(dataDir, d)));
  const recordings = labels.counts.map((c) => c.recording);
  const absent = recordings.filter((r) => !existsSync(join(dataDir, FOREST_DIR, r)));
  if (missing.length || absent.length) {
    throw new Error(
      `capuchin: ${dataDir} is not the Kaggle data set: missing ${[...missing.map((d) => `${d}/`), ...absent.slice(0, 5).map((r) => `${FOREST_DIR}/${r}`)].join(', ')}${absent.length > 5 ? ` and ${absent.length - 5} more` : ''}. ` +
        'Fix: pass --data DIR with the Kaggle layout (README "Data" says where to download it).',
    );
  }
  // labels beside the data that differ from the repository's would make the comparison meaningless
  for (const f of [LABELS_CALLS_FILE, LABELS_COUNTS_FILE]) {
    const theirs = join(dataDir, f);
    if (existsSync(theirs) && readFileSync(theirs, 'utf8').replace(/\r\n/g, '\n') !== readFileSync(join(KAGGLE_LABELS_DIR, f), 'utf8')) {
      throw new Error(`capuchin: ${theirs} differs from the repository's data/labels/${f}. Fix: reproduce uses data/labels/: remove or rename the data folder's copy.`);
    }
  }
  return recordings.map((r) => join(dataDir, FOREST_DIR, r));
}

/** Whether two model folders hold the same weights, byte for byte. */
export function sameWeights(a: string, b: string): boolean {
  const [x, y] = [a, b].map((d) => join(d, WEIGHTS_FILE));
  return existsSync(x) && existsSync(y) && readFileSync(x).equals(readFileSync(y));
}

export interface ReproduceOptions {
  dataDir: string;
  outDir: string;
  /** The model whose figures are reproduced (default models/default). */
  modelDir: string;
  concurrency?: number;
  /** Degraded copies of the field recordings (npm run degrade): their field CV is reported beside the figures. */
  degradedDir?: string;
  log?: (line: string) => void;
}

export interface Reproduction {
  run: ExperimentRun;
  rows: FigureRow[];
  ok: boolean;
}

export async function runReproduce(opts: ReproduceOptions): Promise<Reproduction> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const recorded = readRecordedFigures(opts.modelDir);
  const recordings = checkKaggleData(opts.dataDir);
  // count exactly 00–49 (field and held out): a folder of links, so 50–99 are never read
  const countDir = mkdtempSync(join(tmpdir(), 'capuchin-reproduce-'));
  try {
    const linked = linkFolder(join(countDir, FOREST_DIR), recordings.filter((r) => roleOf(r, DEFAULT_RECORDING_ROLES) !== 'evaluation'));
    const config = loadExperimentConfig(join(REPO_ROOT, recorded.config), { preset: { ...CAPUCHINBIRD_TARGET } });
    log(`reproduce: ${recorded.model} from ${recorded.config} on ${opts.dataDir} with data/labels/ (recordings 00–49 counted, 50–99 never read)`);
    const run = await runExperiment(config, {
      dataDir: opts.dataDir,
      inputs: { clips: kaggleClipFolders(opts.dataDir), annotated: null, kaggle: true },
      outDir: opts.outDir,
      concurrency: opts.concurrency,
      fieldLabels: join(KAGGLE_LABELS_DIR, LABELS_CALLS_FILE),
      tuneLabels: 'fieldLabels',
      countDir: linked,
      countReview: false,
      degradedDir: opts.degradedDir,
      log,
    });
    const rows = compareFigures(recorded, runFigures(run));
    log(`\nfigures of ${recorded.model} (recorded) and of this run (reproduced):\n${figuresTable(rows)}`);
    log(`weights: ${sameWeights(opts.modelDir, run.modelDir!) ? `identical to ${opts.modelDir}'s, byte for byte` : `differ from ${opts.modelDir}'s (the figures are what must agree; see its MODEL.md)`}`);
    return { run, rows, ok: rows.every((r) => r.ok) };
  } finally {
    rmSync(countDir, { recursive: true, force: true });
  }
}
