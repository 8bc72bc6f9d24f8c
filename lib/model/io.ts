/**
 * Save and load a trained classifier in tfjs layers format (model.json + weights.bin) together
 * with the exact feature config and decision threshold it was trained with (capuchin.json), so
 * that inference can never use a feature config other than the one the model learned.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFeatureConfig, type FeatureConfig } from '../features/config.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const META_FILE = 'capuchin.json';

export interface ModelMeta {
  /** Format version of capuchin.json. */
  version: 1;
  architecture: string;
  /** The resolved feature config the model was trained on. */
  feature: FeatureConfig;
  /** Decision threshold on the sigmoid score, chosen on validation data. */
  threshold: number;
  /** [frames, bins] of one input clip. */
  inputShape: [number, number];
  epochs: number;
  trainedOn: { clips: number; positives: number; groups: number; dataDir?: string };
  backend: string;
  createdAt: string;
}

export interface LoadedModel {
  model: tf.LayersModel;
  meta: ModelMeta;
}

export async function saveModel(dir: string, model: tf.LayersModel, meta: ModelMeta): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData;
      const buffers = weightData === undefined ? [] : Array.isArray(weightData) ? weightData : [weightData];
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const weights = new Uint8Array(total);
      let offset = 0;
      for (const b of buffers) {
        weights.set(new Uint8Array(b), offset);
        offset += b.byteLength;
      }
      // Weights first: model.json names weights.bin, so it must never point at a missing file.
      writeFileAtomic(join(dir, WEIGHTS_FILE), weights);
      writeJsonAtomic(join(dir, MODEL_FILE), {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
      });
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: total } };
    }),
  );
  writeJsonAtomic(join(dir, META_FILE), meta);
}

function modelFolder(dirOrModelJson: string): string {
  return dirOrModelJson.endsWith('.json') ? join(dirOrModelJson, '..') : dirOrModelJson;
}

function requireFiles(dir: string, files: readonly string[]): void {
  for (const f of files) {
    if (!existsSync(join(dir, f))) {
      throw new Error(
        `capuchin: model folder ${dir} has no ${f}. Fix: pass the model/ folder written by \`npm run experiment\` ` +
          `(it holds ${MODEL_FILE}, ${WEIGHTS_FILE} and ${META_FILE}).`,
      );
    }
  }
}

/** The model's capuchin.json (feature config, threshold, …), validated, without loading weights. */
export function loadModelMeta(dirOrModelJson: string): ModelMeta {
  const dir = modelFolder(dirOrModelJson);
  requireFiles(dir, [META_FILE]);
  const meta = JSON.parse(readFileSync(join(dir, META_FILE), 'utf8')) as ModelMeta;
  if (meta.version !== 1) throw new Error(`capuchin: ${join(dir, META_FILE)} has unknown version ${meta.version}`);
  meta.feature = resolveFeatureConfig(meta.feature);
  if (!(meta.threshold >= 0 && meta.threshold <= 1)) throw new Error(`capuchin: ${join(dir, META_FILE)}: threshold must be in [0, 1], got ${meta.threshold}`);
  return meta;
}

/** Load a model saved by {@link saveModel}. `dir` may also point at model.json itself. */
export async function loadModel(dirOrModelJson: string): Promise<LoadedModel> {
  const dir = modelFolder(dirOrModelJson);
  requireFiles(dir, [MODEL_FILE, WEIGHTS_FILE, META_FILE]);
  const meta = loadModelMeta(dir);
  const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8'));
  const weightBytes = readFileSync(join(dir, WEIGHTS_FILE));
  const weightData = weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
  return { model, meta };
}
