/**
 * One experiment = a feature config + a model/training config + an augmentation config.
 * Loaded from typed JSON files (experiments/configs/*.json), validated with messages that name
 * the field, the allowed range and the file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveAugmentConfig, type AugmentConfig } from '../data/augmentConfig.ts';
import { DEFAULT_FIELD_WINDOWS } from '../data/field.ts';
import { resolveFeatureConfig, type FeatureConfig } from '../features/config.ts';
import { formatZodIssues } from '../util/zodIssues.ts';
import { resolveTrainConfig, type TrainConfig } from './trainConfig.ts';

export interface ExperimentConfig {
  /** Short name used for the output folder, e.g. "mel". */
  name: string;
  description: string;
  feature: FeatureConfig;
  train: TrainConfig;
  augment: AugmentConfig;
  /** How labelled field recordings become training windows (used only with --field-labels). */
  field: FieldConfig;
}

const FieldSchema = z
  .object({
    /** The configuration is meant to train on field labels: refuse to run without --field-labels. */
    required: z.boolean().default(false),
    /** Random windows drawn on each call every epoch. */
    positivesPerCall: z.number().int().min(0).max(50).default(2),
    /** Random clear windows drawn per recording every epoch. */
    negativesPerRecording: z.number().int().min(0).max(500).default(8),
    /** Random windows drawn every epoch on each detection a reviewer rejected (verdicts.csv beside --field-labels). */
    hardNegativesPerDetection: z.number().int().min(0).max(50).default(2),
    /** A window is a positive when it starts within [call start − slackSec, call end − window + slackSec]. */
    slackSec: z.number().min(0).max(10).default(DEFAULT_FIELD_WINDOWS.slackSec),
    /** A window is a negative when at least this far from every call. */
    clearSec: z.number().min(0).max(60).default(DEFAULT_FIELD_WINDOWS.clearSec),
    /** Spacing of the fixed negative windows that validate (early stopping) on field recordings. */
    validationStepSec: z.number().min(0.1).max(600).default(6),
  })
  .strict();

export type FieldConfig = z.infer<typeof FieldSchema>;

const FileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().default(''),
    feature: z.record(z.unknown()).default({}),
    train: z.record(z.unknown()).default({}),
    augment: z.record(z.unknown()).default({}),
    field: z.record(z.unknown()).default({}),
  })
  .strict();

export function resolveExperimentConfig(input: unknown, source = 'experiment config'): ExperimentConfig {
  const parsed = FileSchema.safeParse(input);
  if (!parsed.success) throw new Error(`${source}: ${formatZodIssues(parsed.error, { root: '(root)', input })}`);
  const { name, description, feature, train, augment, field } = parsed.data;
  try {
    return {
      name,
      description,
      feature: resolveFeatureConfig({ removeDc: true, ...feature }), // new models remove DC unless the config says otherwise
      train: resolveTrainConfig(train),
      augment: resolveAugmentConfig(augment as never),
      field: resolveFieldConfig(field),
    };
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
}

function resolveFieldConfig(input: unknown): FieldConfig {
  const parsed = FieldSchema.safeParse(input ?? {});
  if (!parsed.success) throw new Error(`field config: ${formatZodIssues(parsed.error, { prefix: 'field.', root: '(root)', input })}`);
  return parsed.data;
}

export function loadExperimentConfig(path: string): ExperimentConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`capuchin: cannot read experiment config ${path}: ${(err as Error).message}. Fix: pass a JSON file like experiments/configs/mel.json`);
  }
  return resolveExperimentConfig(json, path);
}
