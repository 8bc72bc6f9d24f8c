/**
 * The contract between training code and the classifier report: what one cross-validated
 * experiment produced. Training fills an ExperimentResult; writeExperimentReport renders it.
 */
import { z } from 'zod';
import { formatZodIssues } from '../util/zodIssues.ts';
import type { Summary } from '../evaluate/summarize.ts';
import type { Target } from '../records/target.ts';

// The training records are defined where they are produced (lib/model) and re-exported here.
import type { EpochRecord, FoldHistory, OofPrediction } from '../model/crossValidate.ts';
export type { EpochRecord, FoldHistory, OofPrediction };

export interface ExperimentResult {
  experiment: string;
  feature: object;
  model: { name: string; params: number };
  /** e.g. { name: 'tensorflow', version: '4.22.0', threads: 2 } */
  backend: object;
  folds: number;
  nClips: number;
  nGroups: number;
  histories: FoldHistory[];
  oof: OofPrediction[];
  /** Decision threshold (score >= threshold is positive), chosen on validation data. */
  threshold: number;
  /** summarize(oof labels, oof scores, threshold, {bootstrap}) */
  metrics: Summary;
  trainSeconds: number;
  config: object;
  /** The counting side: the detector chosen with the model, how, and the held-out counting score. */
  counting?: CountingSummary;
  /** What the out-of-fold predictions are: clips (default), or windows of annotated recordings (a run without clips). */
  oofUnit?: 'clip' | 'window';
  /** What the model counts (lib/records/target.ts); absent: the Capuchinbird. */
  target?: Target;
}

export interface CountScore {
  f1: number;
  mae: number;
  exactRate: number;
}

export interface CountingSummary {
  /** The detector config saved with the model (detector.json). */
  detector: object;
  /** How it was tuned; null when the default detector was kept. */
  tuning: {
    recordings: string[];
    source: string;
    gridSize: number;
    /** The grid points tying for the best score (the detector is their centre) and each parameter's range on them. */
    plateau?: { points: number; share: number; ranges: Record<string, (number | string | null)[]> };
    cv: CountScore;
    optimistic: CountScore;
    /** The recordings the cross-validated detector miscounted or mislocated (out of fold). */
    cvErrors: { recording: string; truth: number; predicted: number | null; fp: number; fn: number }[];
  } | null;
  /** The final model with that detector on the held-out recordings; null when they were not counted. */
  /** Field cross-validation on degraded copies of the field recordings (experiment --degraded); absent without them. */
  degraded?: { name: string; recordings: number; mae: number; exactRate: number; f1: number | null }[];
  holdout: {
    recordings: string[];
    mae: number;
    exactRate: number;
    events: { tp: number; fp: number; fn: number; precision: number | null; recall: number | null; f1: number | null; meanStartErrorSec: number | null } | null;
  } | null;
}

const finiteOrNaN = z.union([z.number().finite(), z.nan()], { message: 'must be a finite number (or NaN)' });
const finite = z.number({ message: 'must be a finite number' }).finite('must be a finite number');
const count = (min: number) => z.number({ message: 'must be a whole number' }).int('must be a whole number').min(min, `must be >= ${min}`);

const EpochRecordSchema = z.object({
  epoch: count(0),
  loss: finiteOrNaN,
  acc: finiteOrNaN,
  val_loss: finiteOrNaN.optional(),
  val_acc: finiteOrNaN.optional(),
  seconds: z.number().min(0, 'must be >= 0'),
});

const FoldHistorySchema = z.object({ fold: count(0), epochs: z.array(EpochRecordSchema), bestEpoch: count(0) });

const OofSchema = z.object({
  file: z.string().min(1, 'must be a non-empty path'),
  group: z.string(),
  label: z.union([z.literal(0), z.literal(1)], { message: 'must be 0 or 1' }),
  score: finite,
  fold: count(0),
  start_s: z.number().min(0, 'must be >= 0').optional(),
});

const intervalSchema = z.object({ lo: finiteOrNaN, hi: finiteOrNaN });
const SummarySchema = z
  .object({
    roc_auc: finiteOrNaN,
    pr_auc: finiteOrNaN,
    f1: finiteOrNaN,
    precision: finiteOrNaN,
    recall: finiteOrNaN,
    accuracy: finiteOrNaN,
    threshold: z.number(),
    n: count(0),
    n_pos: count(0),
    n_neg: count(0),
    confusion: z.object({ tp: count(0), fp: count(0), tn: count(0), fn: count(0) }),
    ci: z
      .object({
        roc_auc: intervalSchema,
        pr_auc: intervalSchema,
        f1: intervalSchema,
        precision: intervalSchema,
        recall: intervalSchema,
        accuracy: intervalSchema,
        level: z.number(),
        n: z.number(),
        seed: z.number(),
        stratified: z.boolean(),
        resampled: z.enum(['examples', 'groups']).optional(),
      })
      .nullable(),
  })
  .passthrough();

export const ExperimentResultSchema = z
  .object({
    experiment: z.string().min(1, 'must be a non-empty name'),
    feature: z.object({}).passthrough(),
    model: z.object({ name: z.string(), params: count(0) }).passthrough(),
    backend: z.object({}).passthrough(),
    folds: count(1),
    nClips: count(1),
    nGroups: count(1),
    histories: z.array(FoldHistorySchema),
    oof: z.array(OofSchema).min(1, 'must hold at least one prediction'),
    threshold: finite,
    metrics: SummarySchema,
    trainSeconds: z.number().min(0, 'must be >= 0'),
    config: z.object({}).passthrough(),
  })
  .passthrough()
  .superRefine((r, ctx) => {
    if (r.oof.length !== r.nClips) {
      ctx.addIssue({ code: 'custom', path: ['oof'], message: `has ${r.oof.length} predictions but nClips is ${r.nClips}; every clip needs one out-of-fold score` });
    }
  });

/** Validate an ExperimentResult at the edge; the error names each bad field (e.g. `oof.3.score`). */
export function parseExperimentResult(value: unknown, where = 'experiment result'): ExperimentResult {
  const parsed = ExperimentResultSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(`capuchin: ${where}: ${formatZodIssues(parsed.error, { root: '(root)', limit: 5 })}. Fix: build it as lib/report/types.ts ExperimentResult describes.`);
  }
  return parsed.data as unknown as ExperimentResult;
}
