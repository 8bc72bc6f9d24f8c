/**
 * One experiment = a feature config + a model/training config + an augmentation config.
 * Loaded from typed JSON files (experiments/configs/*.json), validated with messages that name
 * the field, the allowed range and the file.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveAugmentConfig, type AugmentConfig } from '../data/augment-config.ts';
import { resolveFeatureConfig, type FeatureConfig } from '../features/config.ts';
import { formatZodIssues, resolveTrainConfig, type TrainConfig } from './trainConfig.ts';

export interface ExperimentConfig {
  /** Short name used for the output folder, e.g. "mel". */
  name: string;
  description: string;
  feature: FeatureConfig;
  train: TrainConfig;
  augment: AugmentConfig;
}

const FileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().default(''),
    feature: z.record(z.unknown()).default({}),
    train: z.record(z.unknown()).default({}),
    augment: z.record(z.unknown()).default({}),
  })
  .strict();

export function resolveExperimentConfig(input: unknown, source = 'experiment config'): ExperimentConfig {
  const parsed = FileSchema.safeParse(input);
  if (!parsed.success) throw new Error(`${source}: ${formatZodIssues('', parsed.error)}`);
  const { name, description, feature, train, augment } = parsed.data;
  try {
    return {
      name,
      description,
      feature: resolveFeatureConfig(feature),
      train: resolveTrainConfig(train),
      augment: resolveAugmentConfig(augment as never),
    };
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
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
