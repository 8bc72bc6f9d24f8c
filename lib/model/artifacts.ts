/**
 * A saved model's files parsed from their bytes, with no file system: the CLI reads them from a
 * folder (io.ts), the browser page from fetched or picked files. One parser, so both see the same
 * model, the same feature config and the same tuned detector.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveFeatureConfig } from '../features/config.ts';
import type { ModelDetector, ModelMeta } from './io.ts';

/** The texts and bytes of one model folder; each `*Name` says where it came from, for errors. */
export interface ModelFiles {
  folder: string;
  modelJson: string;
  weights: ArrayBuffer;
  meta: string;
  /** detector.json, when the model has one. */
  detector?: string;
}

function parseJson(text: string, path: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`capuchin: ${path} is not valid JSON (${(err as Error).message}). Fix: ${fix}`);
  }
}

/** capuchin.json, validated (its feature config resolved). `path` names it in errors. */
export function parseModelMeta(text: string, path: string): ModelMeta {
  const meta = parseJson(text, path, 'copy the model folder again, or re-run the experiment that wrote it.') as ModelMeta;
  if (!meta || meta.version !== 1) throw new Error(`capuchin: ${path} has unknown version ${meta?.version}`);
  meta.feature = resolveFeatureConfig(meta.feature);
  if (!(meta.threshold >= 0 && meta.threshold <= 1)) throw new Error(`capuchin: ${path}: threshold must be in [0, 1], got ${meta.threshold}`);
  return meta;
}

/** detector.json: the counting operating point tuned with the model. */
export function parseModelDetector(text: string, path: string): ModelDetector {
  const value = parseJson(text, path, 're-run the experiment, or delete it to count with the default detector.') as ModelDetector;
  if (!value || typeof value.detector !== 'object') throw new Error(`capuchin: ${path} has no 'detector' object. Fix: re-run the experiment that wrote the model.`);
  return value;
}

/** The tfjs model from model.json's text and weights.bin's bytes. */
export async function layersModelFrom(modelJson: string, weights: ArrayBuffer, path: string): Promise<tf.LayersModel> {
  const json = parseJson(modelJson, path, 'copy the model folder again.') as { modelTopology?: unknown; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[] };
  if (!json?.modelTopology || !json.weightsManifest?.[0]?.weights) {
    throw new Error(`capuchin: ${path} is not a tfjs layers model (no modelTopology or weightsManifest). Fix: pass the model.json written by \`npm run experiment\`.`);
  }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
}

/** Everything a count needs from one model folder's files. */
export async function modelFromFiles(files: ModelFiles): Promise<{ model: tf.LayersModel; meta: ModelMeta; detector: ModelDetector | null }> {
  const at = (name: string) => `${files.folder}/${name}`;
  const meta = parseModelMeta(files.meta, at('capuchin.json'));
  const detector = files.detector === undefined ? null : parseModelDetector(files.detector, at('detector.json'));
  const model = await layersModelFrom(files.modelJson, files.weights, at('model.json'));
  return { model, meta, detector };
}
