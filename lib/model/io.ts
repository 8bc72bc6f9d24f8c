/**
 * Save and load a trained classifier in tfjs layers format (model.json + weights.bin) together
 * with the exact feature config and decision threshold it was trained with (capuchin.json), so
 * that inference can never use a feature config other than the one the model learned.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModelFiles, layersModelFrom, parseModelDetector, parseModelMeta, type ModelDetector, type ModelFiles, type ModelMeta } from './artifacts.ts';

export type { ModelDetector, ModelMeta } from './artifacts.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const META_FILE = 'capuchin.json';
/** The counting operating point tuned with the model (detector config fields plus provenance). */
export const DETECTOR_FILE = 'detector.json';


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

/** Change fields of a saved model's capuchin.json (atomically). */
export function updateModelMeta(dir: string, changes: Partial<Pick<ModelMeta, 'threshold'>>): void {
  const path = join(dir, META_FILE);
  const meta = JSON.parse(readFileSync(path, 'utf8')) as ModelMeta;
  writeJsonAtomic(path, { ...meta, ...changes });
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
  return parseModelMeta(readFileSync(join(dir, META_FILE), 'utf8'), join(dir, META_FILE));
}

/** Load a model saved by {@link saveModel}. `dir` may also point at model.json itself. */
export async function loadModel(dirOrModelJson: string): Promise<LoadedModel> {
  const files = readModelFiles(dirOrModelJson);
  const meta = checkModelFiles(files);
  const model = await layersModelFrom(files.modelJson, files.weights, join(files.folder, MODEL_FILE));
  return { model, meta };
}

/** A model folder's files read from disk (missing ones refused by name), for checkModelFiles / modelFromFiles. */
export function readModelFiles(dirOrModelJson: string): ModelFiles {
  const dir = modelFolder(dirOrModelJson);
  requireFiles(dir, [MODEL_FILE, WEIGHTS_FILE, META_FILE]);
  const weightBytes = readFileSync(join(dir, WEIGHTS_FILE));
  return {
    folder: dir,
    modelJson: readFileSync(join(dir, MODEL_FILE), 'utf8'),
    weights: weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength) as ArrayBuffer,
    meta: readFileSync(join(dir, META_FILE), 'utf8'),
    detector: existsSync(join(dir, DETECTOR_FILE)) ? readFileSync(join(dir, DETECTOR_FILE), 'utf8') : undefined,
  };
}

/**
 * Read and check a model folder before any work (every file parsed, weights against model.json, shapes),
 * throwing with the file named; returns what was read, so nothing is read twice.
 */
export function checkModelFolder(dirOrModelJson: string): { files: ModelFiles; meta: ModelMeta; detector: ModelDetector | null } {
  const files = readModelFiles(dirOrModelJson);
  const meta = checkModelFiles(files);
  const detector = files.detector === undefined ? null : parseModelDetector(files.detector, join(files.folder, DETECTOR_FILE));
  return { files, meta, detector };
}


export function saveModelDetector(dir: string, value: ModelDetector): void {
  writeJsonAtomic(join(dir, DETECTOR_FILE), value);
}

/** The model folder's tuned detector, or null for a model saved without one. */
export function loadModelDetector(dirOrModelJson: string): ModelDetector | null {
  const path = join(modelFolder(dirOrModelJson), DETECTOR_FILE);
  if (!existsSync(path)) return null;
  return parseModelDetector(readFileSync(path, 'utf8'), path);
}
