/**
 * Annotated recordings as training data: the annotations (lib/records/annotations) matched to the audio files
 * of a folder, each annotated recording fully labelled (its calls, possibly none), and every call checked to
 * lie inside its recording once the recordings' lengths are known.
 */
import { basename, extname } from 'node:path';
import { emptyFolderError, recordingIdOf, scanAudioFolder } from '../audio/listing.ts';
import type { Annotation, AnnotationSet } from '../records/annotations/index.ts';

export interface AnnotatedRecordings {
  /** The annotated recordings found in the folder, sorted by id (path under the folder). */
  recordings: { file: string; name: string }[];
  /** Calls by recording id, in start order (possibly none). */
  labels: Map<string, Annotation[]>;
  /** Audio files of the folder that no annotation names (not used). */
  unannotated: string[];
}

const stemOf = (name: string) => basename(name).slice(0, basename(name).length - extname(name).length);

/**
 * Match every recording the annotations name to one audio file of `dir`: by its path under the folder, its
 * file name, or (for tables named after a recording) its stem. A name that matches none, or several, is an
 * error naming the annotation file, its line and the fix.
 */
export function matchAnnotations(set: AnnotationSet, dir: string, opts: { recursive?: boolean } = {}): AnnotatedRecordings {
  const scan = scanAudioFolder(dir, { recursive: opts.recursive });
  if (scan.files.length === 0) throw emptyFolderError(dir);
  const ids = scan.files.map((f) => ({ file: f, id: recordingIdOf(scan.root, f) }));
  const find = (key: string) => {
    for (const same of [(id: string) => id === key, (id: string) => basename(id) === key, (id: string) => stemOf(id) === key || stemOf(id) === stemOf(key)]) {
      const hits = ids.filter((x) => same(x.id));
      if (hits.length) return hits;
    }
    return [];
  };
  const labels = new Map<string, Annotation[]>();
  const recordings: AnnotatedRecordings['recordings'] = [];
  for (const [key, calls] of set.byRecording) {
    const hits = find(key);
    const where = calls[0] ? `${calls[0].source} line ${calls[0].line}` : `the annotations (${set.sources.length === 1 ? set.sources[0] : `${set.sources.length} files`})`;
    if (hits.length === 0) {
      throw new Error(`capuchin: ${where} names recording '${key}', which is not in ${dir}. Fix: put the recording in that folder (or pass --recordings the folder that holds it), or remove its annotations.`);
    }
    if (hits.length > 1) {
      throw new Error(`capuchin: ${where} names recording '${key}', which matches ${hits.map((h) => h.id).join(', ')} in ${dir}. Fix: name the recording with its extension (or its path under the folder).`);
    }
    const { file, id } = hits[0];
    if (labels.has(id)) labels.get(id)!.push(...calls);
    else {
      labels.set(id, [...calls]);
      recordings.push({ file, name: id });
    }
  }
  for (const calls of labels.values()) calls.sort((a, b) => a.start_s - b.start_s);
  recordings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { recordings, labels, unannotated: ids.filter((x) => !labels.has(x.id)).map((x) => x.file) };
}

/** Seconds an annotation may run past the decoded end of its recording (rounding in the tools that wrote it). */
const PAST_END_SLACK_SEC = 0.05;

/** Throws for the first call that ends after its recording (lengths by recording id), naming its file and line. */
export function checkAnnotationsWithin(labels: ReadonlyMap<string, readonly Annotation[]>, durations: ReadonlyMap<string, number>): void {
  for (const [name, calls] of labels) {
    const duration = durations.get(name);
    if (duration === undefined) continue;
    const past = calls.find((c) => c.end_s > duration + PAST_END_SLACK_SEC);
    if (past) {
      throw new Error(
        `capuchin: ${past.source} line ${past.line}: the call ${past.start_s.toFixed(3)}–${past.end_s.toFixed(3)} s runs past the end of ${name} (${duration.toFixed(3)} s long). ` +
          'Fix: check that the row belongs to this recording and that its times are in seconds from the recording\'s start.',
      );
    }
  }
}
