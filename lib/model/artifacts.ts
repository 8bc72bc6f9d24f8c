/**
 * A saved model's files parsed from their bytes, with no file system: the CLI reads them from a
 * folder (io.ts), the browser page from fetched or picked files. One parser, so both see the same
 * model, the same feature config and the same tuned detector.
 */
import * as tf from '@tensorflow/tfjs';
import { featureShape, resolveFeatureConfig } from '../features/config.ts';
import type { FeatureConfig } from '../features/config.ts';
import { resolveTarget, type Target } from '../records/target.ts';

export interface ModelMeta {
  /** Format version of capuchin.json. */
  version: 1;
  architecture: string;
  /** The resolved feature config the model was trained on. */
  feature: FeatureConfig;
  /** What it counts (lib/records/target.ts); models saved before targets existed count the Capuchinbird. */
  target?: Target;
  /** Decision threshold on the sigmoid score, chosen on validation data. */
  threshold: number;
  /** [frames, bins] of one input clip. */
  inputShape: [number, number];
  epochs: number;
  trainedOn: {
    clips: number;
    positives: number;
    groups: number;
    /** Field recordings whose labelled windows it trained on (the field configuration). */
    fieldRecordings?: string[];
    /** Field recordings its clips were mixed into, unlabelled. */
    backgroundRecordings?: string[];
    dataDir?: string;
  };
  backend: string;
  createdAt: string;
}

export interface ModelDetector {
  /** Detector config fields (lib/detect/config.ts), validated by whoever resolves them. */
  detector: Record<string, unknown>;
  /** How it was chosen, e.g. cross-validated over the field recordings' out-of-fold tracks. */
  tunedOn: { recordings: string[]; method: string; cvScore?: { f1: number; mae: number; exactRate: number }; plateau?: { points: number; share: number; ranges: Record<string, (number | string | null)[]> } } | null;
}

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
  if (meta.target !== undefined) meta.target = resolveTarget(meta.target, `capuchin: ${path}: target`);
  if (!(meta.threshold >= 0 && meta.threshold <= 1)) throw new Error(`capuchin: ${path}: threshold must be in [0, 1], got ${meta.threshold}`);
  return meta;
}

/** detector.json: the counting operating point tuned with the model. */
export function parseModelDetector(text: string, path: string): ModelDetector {
  const value = parseJson(text, path, 're-run the experiment, or delete it to count with the default detector.') as ModelDetector;
  if (!value || typeof value.detector !== 'object') throw new Error(`capuchin: ${path} has no 'detector' object. Fix: re-run the experiment that wrote the model.`);
  return value;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, int16: 2 };

interface ModelJson {
  modelTopology?: { config?: { layers?: { config?: { batch_input_shape?: (number | null)[] } }[] } };
  weightsManifest?: { paths?: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function parseModelJson(modelJson: string, path: string): ModelJson & Required<Pick<ModelJson, 'modelTopology' | 'weightsManifest'>> {
  const json = parseJson(modelJson, path, 'copy the model folder again.') as ModelJson;
  if (!json?.modelTopology || !json.weightsManifest?.[0]?.weights) {
    throw new Error(`capuchin: ${path} is not a tfjs layers model (no modelTopology or weightsManifest). Fix: pass the model.json written by \`npm run experiment\`.`);
  }
  return json as never;
}

/**
 * Check a model folder's files against each other before any audio is read: weights.bin holds exactly
 * the bytes model.json's manifest lists (a cut or doubled file is refused), and capuchin.json's feature
 * config gives the input shape the network was built for. Throws naming the file and the fix.
 */
export function checkModelFiles(files: ModelFiles): ModelMeta {
  const at = (name: string) => `${files.folder}/${name}`;
  const meta = parseModelMeta(files.meta, at('capuchin.json'));
  const json = parseModelJson(files.modelJson, at('model.json'));
  const expected = json.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype ?? 'float32'] ?? 4), 0);
  if (files.weights.byteLength !== expected) {
    throw new Error(
      `capuchin: ${at('weights.bin')} has ${files.weights.byteLength} bytes, but ${at('model.json')} lists ${expected} bytes of weights ` +
        `(${files.weights.byteLength < expected ? 'cut short' : 'too long: doubled or from another model'}). Fix: copy the model folder again, weights.bin with its model.json.`,
    );
  }
  const [frames, bins] = featureShape(meta.feature);
  if (meta.inputShape && (meta.inputShape[0] !== frames || meta.inputShape[1] !== bins)) {
    throw new Error(`capuchin: ${at('capuchin.json')}: its feature config gives ${frames}×${bins} inputs, but it records inputShape ${meta.inputShape.join('×')}. Fix: use the capuchin.json saved with this model.`);
  }
  const input = json.modelTopology.config?.layers?.[0]?.config?.batch_input_shape;
  if (input && (input[1] !== frames || input[2] !== bins)) {
    throw new Error(
      `capuchin: ${at('capuchin.json')} gives ${frames}×${bins} feature inputs, but ${at('model.json')} was built for ${input[1]}×${input[2]}: ` +
        'the files come from different models. Fix: copy the whole model folder from one run.',
    );
  }
  return meta;
}

/** The tfjs model from model.json's text and weights.bin's bytes. */
export async function layersModelFrom(modelJson: string, weights: ArrayBuffer, path: string): Promise<tf.LayersModel> {
  const json = parseModelJson(modelJson, path);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
}

/** Everything a count needs from one model folder's files. */
export async function modelFromFiles(files: ModelFiles): Promise<{ model: tf.LayersModel; meta: ModelMeta; detector: ModelDetector | null }> {
  const at = (name: string) => `${files.folder}/${name}`;
  const meta = checkModelFiles(files);
  const detector = files.detector === undefined ? null : parseModelDetector(files.detector, at('detector.json'));
  const model = await layersModelFrom(files.modelJson, files.weights, at('model.json'));
  return { model, meta, detector };
}
