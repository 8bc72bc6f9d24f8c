/**
 * What an experiment trains on, from the command line's data flags:
 * - the Kaggle layout (the default): the clips of the data folder's two class folders, its Forest Recordings as
 *   field recordings (roles 00–39 / 40–49 / 50–99), its labels, and the Capuchinbird preset as target;
 * - clip folders (`--positives DIR --negatives DIR [--groups REGEX]`);
 * - annotated recordings (`--recordings DIR --annotations FILE|DIR [--annotation-class LABEL]`), alone or with
 *   clip folders: every recording the annotations name is fully labelled, and the target is derived from them.
 */
import type { ClipFolders } from '../data/dataset.ts';
import { kaggleClipFolders } from '../data/dataset.ts';
import { matchAnnotations, type AnnotatedRecordings } from '../data/annotated.ts';
import type { ExperimentConfig, TargetContext } from '../model/experimentConfig.ts';
import { findCallLabelsFile } from '../data/labels.ts';
import { readAnnotations, type AnnotationSet } from '../records/annotations/index.ts';
import { CAPUCHINBIRD_TARGET, type TargetInput } from '../records/target.ts';

export interface ExperimentInputs {
  /** Clip folders, or null for none (annotated recordings alone). */
  clips: ClipFolders | null;
  /** Annotated recordings, or null. */
  annotated: (AnnotatedRecordings & { dir: string; set: AnnotationSet; recursive: boolean }) | null;
  /** The Kaggle layout: Forest Recordings and the labels of the data folder take part, the target is the Capuchinbird. */
  kaggle: boolean;
}

export interface InputFlags {
  dataDir: string;
  positives?: string;
  negatives?: string;
  /** Source group of a clip: the first capture group on its file name. */
  groups?: RegExp;
  recordings?: string;
  annotations?: string;
  annotationClass?: string;
  recursive?: boolean;
}

/** The inputs the flags name; throws on a half-given pair (--positives without --negatives, …) naming the fix. */
export function readExperimentInputs(f: InputFlags): ExperimentInputs {
  if ((f.positives === undefined) !== (f.negatives === undefined)) {
    throw new Error(`capuchin: --positives and --negatives go together (got only ${f.positives !== undefined ? '--positives' : '--negatives'}). Fix: pass both clip folders.`);
  }
  if ((f.recordings === undefined) !== (f.annotations === undefined)) {
    throw new Error(`capuchin: --recordings and --annotations go together (got only ${f.recordings !== undefined ? '--recordings' : '--annotations'}). Fix: pass the recordings folder and its annotations.`);
  }
  if (f.annotationClass !== undefined && f.annotations === undefined) throw new Error('capuchin: --annotation-class chooses among annotation rows. Fix: pass --recordings DIR --annotations FILE with it.');
  if (f.groups !== undefined && f.positives === undefined) throw new Error('capuchin: --groups reads source groups from clip names. Fix: pass it with --positives DIR --negatives DIR.');
  const clipFolders = f.positives !== undefined ? { positives: f.positives, negatives: f.negatives!, groups: f.groups } : null;
  if (f.recordings === undefined) {
    return clipFolders ? { clips: clipFolders, annotated: null, kaggle: false } : { clips: kaggleClipFolders(f.dataDir), annotated: null, kaggle: true };
  }
  const set = readAnnotations(f.annotations!, { annotationClass: f.annotationClass });
  const matched = matchAnnotations(set, f.recordings, { recursive: f.recursive });
  return { clips: clipFolders, annotated: { ...matched, dir: f.recordings, set, recursive: f.recursive === true }, kaggle: false };
}

/** Where the experiment's target comes from: the Capuchinbird for the Kaggle layout, else the annotations under `name`. */
export function targetContextOf(inputs: ExperimentInputs, name: string, flags: TargetInput = {}): TargetContext {
  if (inputs.kaggle) return { preset: { ...CAPUCHINBIRD_TARGET }, flags };
  return { preset: null, name, calls: inputs.annotated ? [...inputs.annotated.labels.values()].flat() : [], flags };
}

/** One line per input, for the log. */
export function describeInputs(inputs: ExperimentInputs): string[] {
  const lines: string[] = [];
  if (inputs.clips) lines.push(`clips: positives ${inputs.clips.positives}, negatives ${inputs.clips.negatives}${inputs.clips.groups ? `, groups ${inputs.clips.groups}` : ''}`);
  const a = inputs.annotated;
  if (a) {
    const calls = [...a.labels.values()].reduce((n, c) => n + c.length, 0);
    const other = [...a.set.otherClasses.entries()].map(([c, n]) => `${n} '${c || '(no class)'}'`).join(', ');
    lines.push(`annotated recordings: ${a.recordings.length} in ${a.dir} with ${calls} call(s) from ${a.set.sources.length} ${a.set.layouts.join('/')} file(s)${other ? `; left out by --annotation-class: ${other}` : ''}${a.unannotated.length ? `; ${a.unannotated.length} recording(s) without annotations not used` : ''}`);
  }
  return lines;
}

/**
 * The call labels whose field windows train (the config's field.labels): those given (--field-labels), else,
 * when the config asks for them and the data is the Kaggle layout, the labels that go with the data folder
 * (its own labels_calls.csv, else data/labels/ for the Kaggle recordings); undefined trains on clips only.
 */
export function fieldLabelsFor(config: Pick<ExperimentConfig, 'name' | 'field'>, where: { given?: string; dataDir: string; kaggle: boolean }, log: (line: string) => void = () => {}): string | undefined {
  const mode = config.field.labels;
  if (where.given || mode === 'given') return where.given;
  const found = where.kaggle ? findCallLabelsFile(where.dataDir) : null;
  if (found) {
    log(`field labels: ${found} (found for ${where.dataDir}; field.labels is '${mode}')`);
    return found;
  }
  if (mode === 'required') {
    throw new Error(`capuchin: experiment '${config.name}' trains on labelled field recordings, and ${where.dataDir} has no labels_calls.csv nor the Kaggle recordings that data/labels/ labels. Fix: pass --field-labels DIR/labels_calls.csv (the labels of recordings 00–39).`);
  }
  log(`field labels: none for ${where.dataDir}; '${config.name}' trains without field windows (pass --field-labels DIR/labels_calls.csv to add them)`);
  return undefined;
}
