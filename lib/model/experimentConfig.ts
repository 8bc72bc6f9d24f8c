/**
 * One experiment = a target (what is counted) + a feature config + a model/training config + an augmentation
 * config. Loaded from typed JSON files (experiments/configs/*.json), validated with messages that name
 * the field, the allowed range and the file. The target is resolved with the data (lib/data/target.ts): the
 * Capuchinbird preset for the Kaggle layout, else derived from the annotations; the config's `target` section
 * and the flags go over it, and the features follow it (rate, window, band) where the config does not pin them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveAugmentConfig, type AugmentConfig } from '../data/augmentConfig.ts';
import { capuchinbirdTarget, deriveTarget, frameHopSecOf, targetFeatureConfig, type CallEvidence, type TargetDerivation } from '../data/target.ts';
import type { FeatureConfig } from '../features/config.ts';
import { parseTargetInput, type Target, type TargetInput } from '../records/target.ts';
import { formatZodIssues } from '../util/zodIssues.ts';
import { resolveTrainConfig, type TrainConfig } from './trainConfig.ts';

export interface ExperimentConfig {
  /** Short name used for the output folder, e.g. "mel". */
  name: string;
  description: string;
  /** What is counted: its call, band, rate, window and hop (lib/records/target.ts). */
  target: Target;
  /** How each target field not given was derived (logged, and kept in config.json). */
  targetNotes?: string[];
  feature: FeatureConfig;
  train: TrainConfig;
  augment: AugmentConfig;
  /** Whether and how labelled field recordings become training windows. */
  field: FieldConfig;
}

/**
 * Which call labels train field windows: 'given' only those of --field-labels; 'found' those, else the labels
 * that go with the data (lib/data/labels.ts), else none (clips only); 'required' like 'found', but the run
 * refuses to start without labels.
 */
export const FIELD_LABEL_MODES = ['given', 'found', 'required'] as const;
export type FieldLabelMode = (typeof FIELD_LABEL_MODES)[number];

const FieldSchema = z
  .object({
    labels: z.enum(FIELD_LABEL_MODES).default('given'),
    /** Random windows drawn on each call every epoch. */
    positivesPerCall: z.number().int().min(0).max(50).default(2),
    /** Random clear windows drawn per recording every epoch. */
    negativesPerRecording: z.number().int().min(0).max(500).default(8),
    /** Random windows drawn every epoch on each detection a reviewer rejected (verdicts.csv beside --field-labels). */
    hardNegativesPerDetection: z.number().int().min(0).max(50).default(2),
    /** Spacing of the fixed negative windows that validate (early stopping) on field recordings. */
    validationStepSec: z.number().min(0.1).max(600).default(6),
  })
  .strict();

export type FieldConfig = z.infer<typeof FieldSchema>;

const FileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().default(''),
    target: z.record(z.unknown()).default({}),
    feature: z.record(z.unknown()).default({}),
    train: z.record(z.unknown()).default({}),
    augment: z.record(z.unknown()).default({}),
    field: z.record(z.unknown()).default({}),
  })
  .strict();

/**
 * Where the target comes from (default: the Capuchinbird preset, as for the Kaggle layout). `preset: null`
 * derives it from `calls` (annotated calls) under `name`; `flags` go over the config's target section.
 */
export interface TargetContext {
  preset?: Target | null;
  name?: string;
  calls?: readonly CallEvidence[];
  flags?: TargetInput;
}

export function resolveExperimentConfig(input: unknown, source = 'experiment config', ctx: TargetContext = {}): ExperimentConfig {
  const parsed = FileSchema.safeParse(input);
  if (!parsed.success) throw new Error(`${source}: ${formatZodIssues(parsed.error, { root: '(root)', input })}`);
  const { name, description, target: targetSection, feature, train, augment, field } = parsed.data;
  try {
    for (const key of ['sampleRate', 'clipSec'] as const)
      if (key in feature) throw new Error(`feature.${key} is the target's (${key === 'clipSec' ? 'target.windowSec' : 'target.sampleRate'}). Fix: move it into the config's target section.`);
    const given = { ...parseTargetInput(targetSection, 'target'), ...(ctx.flags ?? {}) };
    const derived: TargetDerivation =
      ctx.preset === null
        ? deriveTarget({ name: ctx.name ?? name, calls: ctx.calls, given, frameHopSec: frameHopSecOf(feature, given.sampleRate ?? 16000) })
        : ctx.preset
          ? deriveTarget({ name: ctx.preset.name, preset: ctx.preset, given })
          : capuchinbirdTarget(given);
    return {
      name,
      description,
      target: derived.target,
      // new models remove DC unless the config says otherwise
      feature: targetFeatureConfig(derived.target, feature),
      train: modelForTarget(resolveTrainConfig(train), derived.target),
      augment: resolveAugmentConfig(augment as never),
      field: resolveFieldConfig(field),
      targetNotes: derived.notes,
    };
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
}

/** train.model 'auto': the architecture the target's labelling needs (trainConfig.ts). */
function modelForTarget(train: TrainConfig, target: Target): TrainConfig {
  if (train.model !== 'auto') return train;
  return { ...train, model: target.labelling === 'onset' ? 'compact-cnn-flat' : 'compact-cnn' };
}

function resolveFieldConfig(input: unknown): FieldConfig {
  const parsed = FieldSchema.safeParse(withLegacyRequired(input ?? {}));
  if (!parsed.success) throw new Error(`field config: ${formatZodIssues(parsed.error, { prefix: 'field.', root: '(root)', input })}`);
  return parsed.data;
}

/** Configs written before `labels` said `required: true|false`: read as 'required' / 'given'. */
function withLegacyRequired(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('required' in input) || 'labels' in input) return input;
  const { required, ...rest } = input as Record<string, unknown>;
  return typeof required === 'boolean' ? { ...rest, labels: required ? 'required' : 'given' } : input;
}

export function loadExperimentConfig(path: string, ctx: TargetContext = {}): ExperimentConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`capuchin: cannot read experiment config ${path}: ${(err as Error).message}. Fix: pass a JSON file like experiments/configs/mel.json`);
  }
  return resolveExperimentConfig(json, path, ctx);
}
