/**
 * One experiment end to end, following the evaluation protocol (lib/data/roles.ts):
 *   1. load the clips (through the feature cache) and the field recordings the config needs;
 *   2. cross-validate with stratified group folds (field recordings split into the same folds);
 *   3. summarise the out-of-fold clip predictions, bootstrap intervals resampled by source group;
 *   4. tune the detector on the field recordings' out-of-fold score tracks (cross-validated over
 *      recordings) and save it in the model folder with the final model;
 *   5. optionally count a folder of recordings with the final model, scored on the held-out ones;
 *   6. write the report files.
 * Used by `npm run experiment` and by the training notebook, so both do exactly the same thing.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { listAudioFiles } from '../audio/listing.ts';
import { needsFrames } from '../data/augmentConfig.ts';
import { fieldWindowOptions, loadFieldRecordings, type FieldData, type FieldLoadOptions } from '../data/field.ts';
import { readFieldLabels, withRejected, type ReadFieldLabels } from '../data/fieldLabels.ts';
import { emptyClipDataset, loadClipDataset } from '../data/load.ts';
import { kaggleClipFolders } from '../data/dataset.ts';
import { checkAnnotationsWithin } from '../data/annotated.ts';
import { FOREST_DIR } from '../data/paths.ts';
import { DEFAULT_RECORDING_ROLES, recordingsInRole, roleOf, type RecordingRoles } from '../data/roles.ts';
import { targetDetector, targetLeadSec, targetTuneGrid } from '../detect/targetDetector.ts';
import { describeTarget } from '../records/target.ts';
import { summarize } from '../evaluate/summarize.ts';
import { framesPerSec } from '../features/config.ts';
import { estimateCost } from '../model/architectures/index.ts';
import { selectBackend, type BackendInfo, type BackendName } from '../model/backend/select.ts';
import { crossValidate, type CrossValidationResult, type DegradedField } from '../model/crossValidate.ts';
import type { ExperimentConfig } from '../model/experimentConfig.ts';
import { saveModelDetector } from '../model/io.ts';
import { type CountLabels } from '../records/labels.ts';
import { findCallLabelsFile, findCountLabels } from '../data/labels.ts';
import { VERDICTS_FILE } from '../report/review/types.ts';
import { countEvalTable } from '../report/countEvalTable.ts';
import type { CountingSummary, ExperimentResult } from '../report/types.ts';
import { writeExperimentReport } from '../report/writeExperiment.ts';
import { trackWindowPredictions } from '../evaluate/trackWindows.ts';
import { writeJsonAtomic } from '../util/atomic.ts';
import { withOutputSet } from '../util/outputSet.ts';
import { ERRORS_FILE, writeErrorsCsv } from '../records/errors.ts';
import { runCount, type CountRun } from './count.ts';
import { tuneOnTracks } from './tuneDetector.ts';
import { readDegradedFolders } from './degrade.ts';
import { trackEvents, type TuneResult } from '../detect/tune.ts';
import type { DetectorConfig } from '../detect/config.ts';
import { evaluateProcessed } from '../evaluate/countEval.ts';
import { dataDigest, provenance, PROVENANCE_FILE } from './provenance.ts';
import { describeInputs, fieldLabelsFor, type ExperimentInputs } from './experimentInputs.ts';

export interface RunExperimentOptions {
  dataDir: string;
  /** What it trains on (default: the Kaggle layout under dataDir); see experimentInputs.ts. */
  inputs?: ExperimentInputs;
  /** --field-recordings was given: annotated recordings must match it (by default any that is not held out or evaluation data). */
  fieldRoleGiven?: boolean;
  outDir: string;
  backend?: BackendName;
  allowCpuTraining?: boolean;
  /** Allow architectures whose cost needs a flag on CPU (seed-cnn on linear spectrograms). */
  allowLargeModel?: boolean;
  concurrency?: number;
  cacheDir?: string | false;
  /** Train and save the final model (default true). */
  finalModel?: boolean;
  bootstrap?: number;
  /** Which forest recordings are field data, held out, or evaluation data (default: the protocol's 00–39 / 40–49 / 50–99). */
  roles?: RecordingRoles;
  /** labels_calls.csv-layout file whose field recordings become training windows (the `field` configuration). */
  fieldLabels?: string;
  /**
   * Which labels tune the detector: 'data' (default) the data folder's labels_calls.csv of every field
   * recording; 'fieldLabels' only the recordings of `fieldLabels` (what a reviewer reviewed), with the
   * default detector when fewer than 2 of them are scored.
   */
  tuneLabels?: 'data' | 'fieldLabels';
  /** Count every recording of this folder with the final model afterwards (default: none). */
  countDir?: string;
  /** Degraded copies of the field recordings (npm run degrade's --out): scored out of fold and counted with the cross-validated detector. */
  degradedDir?: string;
  /** Write the count's review.html and review/ (default true). */
  countReview?: boolean;
  log?: (line: string) => void;
}

export interface ExperimentRun {
  result: ExperimentResult;
  cv: CrossValidationResult;
  backend: BackendInfo;
  outDir: string;
  modelDir: string | null;
  skipped: { file: string; reason: string; message: string }[];
  count: CountRun | null;
}

/** The field recordings' out-of-fold score tracks of an experiment. */
export const FIELD_TRACKS_FILE = 'field_oof_tracks.json';
/** Per fold, the field recordings it trained on, validated on, mixed background from and scored. */
export const FIELD_FOLDS_FILE = 'field_folds.json';

/** Fully labelled recordings as count and call labels (tuning on what was reviewed or annotated, scoring counts). */
function countLabelsOf(read: Pick<ReadFieldLabels, 'labels' | 'source'>): CountLabels {
  const entries = [...read.labels.entries()];
  return {
    counts: entries.map(([recording, calls]) => ({ recording, capuchin_calls: calls.length })),
    calls: entries.flatMap(([recording, calls]) => calls.map((c, call_index) => ({ recording, call_index, start_s: c.start_s, end_s: c.end_s }))),
    source: read.source,
  };
}

/** The field side of an experiment: which recordings, which labels train, which tune the detector. */
interface FieldSide {
  fieldFiles: string[];
  /** Recording ids, aligned with fieldFiles (file names, or paths under an annotated folder). */
  fieldNames: string[];
  trainLabels: ReadFieldLabels | null;
  tuneLabels: CountLabels | null;
  tuneFrom: 'data' | 'fieldLabels';
  /** The folder, for logs. */
  where: string;
}

/** The Kaggle layout: Forest Recordings in the field role; --field-labels train; the data folder's labels (or those) tune. */
function kaggleField(opts: RunExperimentOptions, roles: RecordingRoles, log: (line: string) => void): FieldSide {
  const forest = join(opts.dataDir, FOREST_DIR);
  const fieldFiles = existsSync(forest) ? recordingsInRole(listAudioFiles(forest), 'field', roles) : [];
  const trainLabels = opts.fieldLabels ? readFieldLabels(opts.fieldLabels, roles) : null;
  if (trainLabels) {
    const hard = trainLabels.verdictsSource
      ? `; ${trainLabels.hardNegatives} rejected detection(s) from ${trainLabels.verdictsSource} as hard negatives`
      : `; no ${VERDICTS_FILE} beside it, no hard negatives`;
    log(`field labels ${trainLabels.source}: ${trainLabels.labels.size} field recording(s), ${trainLabels.calls} call(s) train${hard}`);
    for (const i of trainLabels.ignored) log(`  not used for training: ${i.recording} (${i.reason})`);
  }
  const tuneFrom = opts.tuneLabels ?? 'data';
  const tuneLabels = tuneFrom === 'fieldLabels' ? (trainLabels ? countLabelsOf(trainLabels) : null) : findCountLabels(opts.dataDir);
  return { fieldFiles, fieldNames: fieldFiles.map((f) => basename(f)), trainLabels, tuneLabels, tuneFrom, where: forest };
}

/**
 * Annotated recordings: each one trains, fully labelled, and tunes the detector, unless its name puts it in the
 * held-out or evaluation role (or outside --field-recordings when that was given). A verdicts.csv beside the
 * annotations adds the detections a reviewer rejected as hard negatives.
 */
function annotatedField(a: NonNullable<ExperimentInputs['annotated']>, roles: RecordingRoles, fieldRoleGiven: boolean, log: (line: string) => void): FieldSide {
  const ignored: ReadFieldLabels['ignored'] = [];
  const used = a.recordings.filter((r) => {
    const role = roleOf(r.name, roles);
    const ok = fieldRoleGiven ? role === 'field' : role !== 'holdout' && role !== 'evaluation';
    if (!ok) ignored.push({ recording: r.name, reason: role && role !== 'field' ? `${role} recording: never used for training or tuning` : `does not match ${roles.field}` });
    return ok;
  });
  const labels = new Map(used.map((r) => [r.name, a.labels.get(r.name)!] as const));
  const source = a.set.sources.length === 1 ? a.set.sources[0] : `${a.set.sources.length} annotation files`;
  const trainLabels = withRejected(labels, ignored, source, a.set.sources.length === 1 ? a.set.sources[0] : dirname(a.set.sources[0]));
  const { verdictsSource } = trainLabels;
  log(`annotations ${source}: ${labels.size} recording(s), ${trainLabels.calls} call(s) train and tune${verdictsSource ? `; ${trainLabels.hardNegatives} rejected detection(s) from ${verdictsSource} as hard negatives` : ''}`);
  for (const i of ignored) log(`  not used: ${i.recording} (${i.reason})`);
  return { fieldFiles: used.map((r) => r.file), fieldNames: used.map((r) => r.name), trainLabels, tuneLabels: countLabelsOf(trainLabels), tuneFrom: 'fieldLabels', where: a.dir };
}

/** Parameters × FLOPs above which a model needs --allow-large-model on a CPU backend. */
const LARGE_MODEL_PARAMS = 5_000_000;

/**
 * Train and evaluate one configuration into `opts.outDir`, written as one unit: the model, its report and
 * the count are staged beside the folder and swapped in together at the end (lib/util/outputSet.ts), so a
 * run killed after saving the model never pairs a new model with an old report.
 */
export async function runExperiment(config: ExperimentConfig, opts: RunExperimentOptions): Promise<ExperimentRun> {
  return withOutputSet(opts.outDir, 'experiment', { formerMarker: 'report.html' }, async (set) => {
    const run = await runExperimentStaged(config, { ...opts, outDir: set.dir }, set.target);
    return { ...run, outDir: set.target, modelDir: run.modelDir && set.finalPath(run.modelDir), count: run.count && { ...run.count, outDir: set.finalPath(run.count.outDir), written: run.count.written.map((p) => set.finalPath(p)) } };
  });
}

type Log = (line: string) => void;

/** The clips of the inputs as features (through the cache), logged; refuses a model too large for a CPU backend. */
async function loadClips(config: ExperimentConfig, inputs: ExperimentInputs, opts: RunExperimentOptions, backend: BackendInfo, log: Log) {
  const dataset = inputs.clips
    ? await loadClipDataset(inputs.clips, config.feature, { cacheDir: opts.cacheDir, frames: needsFrames(config.augment) })
    : emptyClipDataset(config.feature);
  for (const s of dataset.skipped) log(`  skipped ${s.file}: ${s.message}`);
  const [n, frames, bins] = dataset.shape;
  if (inputs.clips) log(`loaded ${n} clips (${dataset.stats.cacheHits} from cache, ${dataset.stats.decoded} decoded) as ${frames}×${bins} ${config.feature.kind} in ${dataset.stats.seconds.toFixed(1)}s`);
  const cost = estimateCost(config.train.model, [frames, bins]);
  if (cost.params > LARGE_MODEL_PARAMS && !backend.name.startsWith('tensorflow') && !opts.allowLargeModel) {
    throw new Error(
      `capuchin: ${config.train.model} on ${frames}×${bins} inputs has ${(cost.params / 1e6).toFixed(0)} M parameters ` +
        `(~${(cost.bytes / 2 ** 30).toFixed(1)} GiB with Adam state) and would train for hours on the ${backend.name} backend. ` +
        'Fix: pass --allow-large-model to run it anyway, use a GPU (see README: tfjs-node-gpu), or pick compact-cnn.',
    );
  }
  return dataset;
}

/** Why background mixing cannot run with these inputs (null: it can, or it is off anyway). */
function noBackgroundReason(config: ExperimentConfig, inputs: ExperimentInputs, side: FieldSide, roles: RecordingRoles): string | null {
  const background = config.augment.background;
  if (!background.enabled) return null;
  if (side.fieldFiles.length === 0) return `no field recordings${inputs.kaggle ? ` in ${side.where} matching ${roles.field}` : ''} to mix clips into`;
  if (!inputs.clips && !background.fieldWindows) return 'it mixes clips into field recordings, there are no clips, and augment.background.fieldWindows is off';
  return null;
}

/** The field side, loaded: the recordings' frames when anything needs them, whether the detector can be tuned, the config as it will run. */
async function prepareField(experiment: ExperimentConfig, inputs: ExperimentInputs, opts: RunExperimentOptions, roles: RecordingRoles, log: Log) {
  let config = experiment;
  // Field recordings: background for mixing, labelled training windows, and the detector's tuning set.
  const side = inputs.annotated ? annotatedField(inputs.annotated, roles, opts.fieldRoleGiven === true, log) : kaggleField(opts, roles, log);
  const { fieldFiles, fieldNames, trainLabels, tuneLabels, tuneFrom, where } = side;
  const tuneRecordings = tuneLabels ? new Set(tuneLabels.counts.map((c) => c.recording)) : new Set<string>();
  const fieldTunable = fieldNames.filter((f) => tuneRecordings.has(f)).length;
  const canTune = tuneFrom === 'data' ? Boolean(tuneLabels?.calls) && fieldFiles.length >= 2 : Boolean(tuneLabels?.calls?.length) && fieldTunable >= 2;
  const noBackground = noBackgroundReason(config, inputs, side, roles);
  if (noBackground) {
    log(`background mixing: off (${noBackground})`);
    config = { ...config, augment: { ...config.augment, background: { ...config.augment.background, enabled: false } } };
  }
  const base = targetDetector(config.target);
  const hopFrames = Math.round(base.hopSec * framesPerSec(config.feature));
  // field recordings (and their degraded copies) keep the windows past their end too, so the tracks the detector
  // is tuned on are the ones `count` scores
  const fieldLoad: FieldLoadOptions = { cacheDir: opts.cacheDir, leadSec: targetLeadSec(config.target), endWindowHopFrames: hopFrames };
  let field: FieldData | null = null;
  if (fieldFiles.length > 0 && (config.augment.background.enabled || trainLabels || canTune)) {
    field = await loadFieldRecordings(fieldFiles, config.feature, { ...fieldLoad, names: fieldNames });
    for (const s of field.skipped) log(`  skipped field recording ${s.file}: ${s.message}`);
    const missing = trainLabels ? [...trainLabels.labels.keys()].filter((r) => !field!.recordings.some((x) => x.name === r)) : [];
    if (missing.length) log(`  labelled but not found in ${where}: ${missing.join(', ')}`);
    if (inputs.annotated) checkAnnotationsWithin(inputs.annotated.labels, new Map(field.recordings.map((r) => [r.name, r.durationSec])));
  }
  return { config, side, fieldTunable, canTune, base, hopFrames, fieldLoad, field };
}
type PreparedField = Awaited<ReturnType<typeof prepareField>>;

/** Out-of-fold predictions (of clips, or without clips of the annotated recordings' windows) and their metrics. */
function outOfFoldMetrics(cv: CrossValidationResult, nClips: number, prep: PreparedField, opts: RunExperimentOptions) {
  const { config, field } = prep;
  const trainLabels = prep.side.trainLabels;
  // without clips, the classifier metrics are those of the annotated recordings' out-of-fold windows
  const windowOof = nClips === 0 && trainLabels
    ? trackWindowPredictions(cv.tracks, trainLabels.labels, { ...fieldWindowOptions(config.target), leadSec: field!.leadSec }, (r) => field!.recordings.find((x) => x.name === r)!.file)
    : null;
  const oof = windowOof ?? cv.oof;
  if (oof.length === 0 || !oof.some((o) => o.label === 1) || !oof.some((o) => o.label === 0)) {
    throw new Error(`capuchin: no out-of-fold ${windowOof ? 'windows' : 'clips'} of both classes to score. Fix: ${windowOof ? 'annotate calls and the stretches between them in more recordings' : 'add clips of both classes'}.`);
  }
  const metrics = summarize(oof.map((o) => o.label), oof.map((o) => o.score), cv.threshold, { bootstrap: { n: opts.bootstrap ?? 1000, seed: config.train.seed, groups: oof.map((o) => o.group) } });
  return { oof, windowOof, metrics };
}

/** The counting operating point, tuned on the out-of-fold tracks of the labelled field recordings (else the default). */
function tuneCounting(cv: CrossValidationResult, prep: PreparedField, annotated: boolean, log: Log): CountingSummary {
  const { config, base, canTune, fieldTunable } = prep;
  const { tuneLabels, tuneFrom, trainLabels } = prep.side;
  const counting: CountingSummary = { detector: base, tuning: null, holdout: null };
  if (!canTune || cv.tracks.length < 2) {
    const why = canTune
      ? 'too few field recordings scored'
      : tuneFrom === 'data'
        ? 'no labelled field recordings to tune on'
        : !trainLabels
          ? 'tuning only on the --field-labels recordings, and there are none'
          : `tuning only on the --field-labels recordings: ${fieldTunable} found with ${tuneLabels?.calls?.length ?? 0} call(s); tuning needs 2 or more with at least one call`;
    log(`detector: default operating point (${why})`);
    return counting;
  }
  // cross-validated over recordings in as many folds as the model's (at most one per recording)
  const tuned = tuneOnTracks(cv.tracks, tuneLabels!, base, log, { grid: targetTuneGrid(config.target), toleranceSec: config.target.toleranceSec, folds: config.train.folds });
  if (!tuned) return counting;
  counting.detector = tuned.best;
  counting.tuning = {
    recordings: tuned.recordings,
    source: `out-of-fold score tracks of the ${annotated ? 'annotated' : 'field'} recordings (each scored by the fold model that never trained on or mixed it)`,
    gridSize: tuned.gridSize,
    plateau: tuned.plateau,
    cv: tuned.cvScore,
    optimistic: tuned.trainScore,
    cvErrors: tuned.cvRecordings.filter((r) => r.fp > 0 || r.fn > 0 || r.predicted !== r.truth),
  };
  counting.degraded = countDegraded(cv.degradedTracks, tuned, base, tuneLabels!, config.target.toleranceSec, log);
  if (counting.tuning.cvErrors.length) {
    log(`  out of fold it missed or mislocated: ${counting.tuning.cvErrors.map((r) => `${r.recording} (${r.predicted} counted, ${r.truth} labelled, ${r.fp} FP, ${r.fn} FN)`).join('; ')}`);
  }
  return counting;
}

/** The model folder's detector.json and provenance.json: how it counts, and what trained it. */
async function saveModelRecords(modelDir: string, counting: CountingSummary, files: readonly string[], cv: CrossValidationResult, backend: BackendInfo, config: ExperimentConfig, dataDir: string) {
  saveModelDetector(modelDir, {
    detector: counting.detector as unknown as Record<string, unknown>,
    tunedOn: counting.tuning ? { recordings: counting.tuning.recordings, method: counting.tuning.source, cvScore: counting.tuning.cv, plateau: counting.tuning.plateau } : null,
  });
  // what trained and tuned it, from which commit, with which versions (the clips and the field recordings read)
  writeJsonAtomic(join(modelDir, PROVENANCE_FILE), provenance({ backend: backend.name, trainSeconds: cv.trainSeconds, data: await dataDigest(files, dataDir), config }));
}

/** config.json, errors.csv, the protocol's audit trail and the out-of-fold tracks beside the report. */
function writeRunFiles(outDir: string, dataDir: string, config: ExperimentConfig, cv: CrossValidationResult, skipped: readonly { file: string; message: string }[], base: DetectorConfig): void {
  writeJsonAtomic(join(outDir, 'config.json'), config);
  // clips and field recordings that could not be read: one errors.csv, and exit 3 from the CLI
  writeErrorsCsv(join(outDir, ERRORS_FILE), skipped.map((k) => ({ recording: relative(dataDir, k.file), error: k.message })));
  if (cv.fieldFolds.some((f) => f.scored.length)) {
    // the audit trail of the protocol: per fold, which field recordings it trained on, mixed from and scored
    writeJsonAtomic(join(outDir, FIELD_FOLDS_FILE), { backgroundMixing: config.augment.background.enabled, folds: cv.fieldFolds });
  }
  if (cv.tracks.length) {
    // the out-of-fold score tracks, so a detector can be re-tuned without training again
    writeJsonAtomic(join(outDir, FIELD_TRACKS_FILE), {
      hopSec: base.hopSec,
      windowSec: base.windowSec,
      leadSec: base.leadSec,
      tracks: cv.tracks.map((t) => ({ recording: t.recording, fold: t.fold, durationSec: t.durationSec, scores: Array.from(t.scores, (v) => Number(v.toFixed(5))) })),
    });
  }
}

/** The run's report data: what trained, how it scored out of fold, how it counts. */
function experimentResult(r: {
  config: ExperimentConfig;
  cv: CrossValidationResult;
  backend: BackendInfo;
  scored: ReturnType<typeof outOfFoldMetrics>;
  dataset: { skipped: { file: string; message: string }[] };
  prep: PreparedField;
  roles: RecordingRoles;
  counting: CountingSummary;
  dataDir: string;
}): ExperimentResult {
  const { config, cv, backend, roles, counting } = r;
  const { oof, windowOof, metrics } = r.scored;
  const { side, field } = r.prep;
  const trainLabels = side.trainLabels;
  return {
    experiment: config.name,
    feature: config.feature,
    model: { name: config.train.model, params: cv.params },
    backend: { ...backend, trainedOn: cv.backend },
    folds: config.train.folds,
    nClips: oof.length,
    nGroups: new Set(oof.map((o) => o.group)).size,
    oofUnit: windowOof ? 'window' : 'clip',
    target: config.target,
    histories: cv.histories,
    oof: oof.map((o) => ({ ...o, file: relative(r.dataDir, o.file) })),
    threshold: cv.threshold,
    metrics,
    trainSeconds: cv.trainSeconds,
    config: {
      ...config,
      finalEpochs: cv.finalEpochs,
      examplesPerEpoch: cv.examplesPerEpoch,
      skipped: r.dataset.skipped,
      fieldLabels: trainLabels
        ? { source: trainLabels.source, recordings: [...trainLabels.labels.keys()], ignored: trainLabels.ignored, verdicts: trainLabels.verdictsSource, hardNegatives: trainLabels.hardNegatives }
        : null,
      tuneLabels: side.tuneFrom,
      fieldRecordings: field?.recordings.map((x) => x.name) ?? [],
      roles: { field: String(roles.field), holdout: String(roles.holdout), evaluation: String(roles.evaluation) },
    },
    counting,
  };
}

async function runExperimentStaged(experiment: ExperimentConfig, opts: RunExperimentOptions, finalDir: string): Promise<ExperimentRun> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const roles = opts.roles ?? DEFAULT_RECORDING_ROLES;
  const inputs = opts.inputs ?? { clips: kaggleClipFolders(opts.dataDir), annotated: null, kaggle: true };
  opts = { ...opts, fieldLabels: fieldLabelsFor(experiment, { given: opts.fieldLabels, dataDir: opts.dataDir, kaggle: inputs.kaggle }, log) };
  const backend = await selectBackend({ force: opts.backend, allowCpuTraining: opts.allowCpuTraining, log });
  log(`experiment ${experiment.name}: ${experiment.description}`);

  log(`target: ${describeTarget(experiment.target)}`);
  for (const note of experiment.targetNotes ?? []) log(`  ${note}`);
  for (const line of describeInputs(inputs)) log(line);
  const dataset = await loadClips(experiment, inputs, opts, backend, log);
  const prep = await prepareField(experiment, inputs, opts, roles, log);
  const { config, field, side } = prep;
  const modelDir = opts.finalModel === false ? null : join(opts.outDir, 'model');
  const cv = await crossValidate(dataset, config, {
    backend: opts.backend,
    allowCpuTraining: opts.allowCpuTraining,
    concurrency: opts.concurrency,
    modelDir: modelDir ?? undefined,
    dataDir: opts.dataDir,
    field: field
      ? { data: field, labels: side.trainLabels?.labels, rejected: side.trainLabels?.rejected, hopFrames: prep.hopFrames, degraded: await loadDegraded(opts.degradedDir, field, config.feature, prep.fieldLoad, log) }
      : undefined,
    log,
  });
  const outOfFold = outOfFoldMetrics(cv, dataset.shape[0], prep, opts);
  const { metrics } = outOfFold;
  const counting = tuneCounting(cv, prep, inputs.annotated !== null, log);
  if (modelDir) await saveModelRecords(modelDir, counting, [...dataset.clips.map((c) => c.file), ...(field ? side.fieldFiles : [])], cv, backend, config, opts.dataDir);

  let count: CountRun | null = null;
  if (opts.countDir && modelDir) {
    // annotated recordings are scored against their annotations (held-out ones apart, by role)
    const labels = inputs.annotated ? countLabelsOf({ labels: inputs.annotated.labels, source: side.trainLabels!.source }) : undefined;
    count = await runCount({ modelDir, recordingsDir: opts.countDir, outDir: join(opts.outDir, 'count'), dataDir: opts.dataDir, labels, concurrency: opts.concurrency, backend: opts.backend, roles, review: opts.countReview, recursive: inputs.annotated?.recursive, log });
    const held = count.evaluation?.holdout;
    if (held) {
      counting.holdout = { recordings: held.recordings.map((r) => r.recording), mae: held.mae, exactRate: held.exactRate, events: held.events ?? null };
      log(`held-out recordings (${roles.holdout}), never used for training or tuning:\n${countEvalTable(held)}`);
    }
  }

  const result = experimentResult({ config, cv, backend, scored: outOfFold, dataset, prep, roles, counting, dataDir: opts.dataDir });
  await writeExperimentReport(opts.outDir, result, { dataDir: opts.dataDir });
  const skipped = [...dataset.skipped, ...(field?.skipped ?? [])];
  writeRunFiles(opts.outDir, opts.dataDir, config, cv, skipped, prep.base);
  const ci = metrics.ci;
  log(
    `${config.name}: out-of-fold ROC-AUC ${metrics.roc_auc.toFixed(4)}${ci ? ` [${ci.roc_auc.lo.toFixed(3)}, ${ci.roc_auc.hi.toFixed(3)}]` : ''}, PR-AUC ${metrics.pr_auc.toFixed(4)}, ` +
      `F1 ${metrics.f1.toFixed(4)}${ci ? ` [${ci.f1.lo.toFixed(3)}, ${ci.f1.hi.toFixed(3)}]` : ''} at threshold ${cv.threshold.toFixed(3)} (${cv.trainSeconds.toFixed(0)} s of training) → ${finalDir}`,
  );
  return { result, cv, backend, outDir: opts.outDir, modelDir, skipped, count };
}

/** The field recordings' degraded copies under `dir`, each loaded like the originals (`load`); none without a dir. */
async function loadDegraded(
  dir: string | undefined,
  field: FieldData,
  feature: ExperimentConfig['feature'],
  load: Omit<FieldLoadOptions, 'names'>,
  log: (line: string) => void,
): Promise<DegradedField[]> {
  if (!dir) return [];
  const names = field.recordings.map((r) => r.name);
  const out: DegradedField[] = [];
  for (const folder of readDegradedFolders(dir, names)) {
    const present = folder.copies.flatMap((file, i) => (file ? [{ file, name: names[i] }] : []));
    const data = await loadFieldRecordings(present.map((p) => p.file), feature, { ...load, names: present.map((p) => p.name) });
    for (const s of data.skipped) log(`  skipped degraded copy ${s.file}: ${s.message}`);
    const item = names.map((n) => data.recordings.findIndex((r) => r.name === n));
    log(`degraded copies ${folder.name}: ${item.filter((i) => i >= 0).length} of ${names.length} field recordings, scored out of fold beside the originals`);
    out.push({ name: folder.name, data, item });
  }
  return out;
}

/**
 * Each degradation counted as the field recordings are cross-validated: its copies' out-of-fold tracks, each with the
 * detector chosen in the tuning fold that held the recording out (tuned.folds), scored against the same labels.
 */
function countDegraded(
  degraded: CrossValidationResult['degradedTracks'],
  tuned: TuneResult,
  base: DetectorConfig,
  labels: CountLabels,
  toleranceSec: number,
  log: (line: string) => void,
): NonNullable<CountingSummary['degraded']> {
  const chosenFor = new Map(tuned.folds.flatMap((f) => f.recordings.map((r) => [r, { ...base, ...f.chosen }] as const)));
  return degraded.map(({ name, tracks }) => {
    const usable = tracks.filter((t) => chosenFor.has(t.recording));
    const report = evaluateProcessed(usable.map((t) => trackEvents(t, chosenFor.get(t.recording)!)), labels.counts, labels.calls, { toleranceSec });
    const row = { name, recordings: usable.length, mae: report.mae, exactRate: report.exactRate, f1: report.events?.f1 ?? null };
    log(`  field CV on ${name} copies (${row.recordings} recordings): MAE ${row.mae.toFixed(3)}, exact ${(100 * row.exactRate).toFixed(0)}%, event F1 ${row.f1?.toFixed(3) ?? '—'}`);
    return row;
  });
}
