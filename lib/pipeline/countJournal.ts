/**
 * The journal of an interrupted `count`, kept in the run's staging folder: one line per finished file
 * (its outcome, events and warnings) with the score track, review image and audio beside it as raw
 * binary files. `--resume` reads it back and counts only the files it lacks. Its header holds a hash of
 * the model files and the resolved detector: a run with a different model or detector refuses to resume.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tagWritePath } from '../util/diskFull.ts';
import { join } from 'node:path';
import type { DetectorConfig } from '../detect/config.ts';
import type { RecordingResult } from '../detect/countRecordings.ts';
import type { ModelFiles } from '../model/artifacts.ts';

/** The journal's folder inside the staging folder. */
export const JOURNAL_DIR = 'journal';
const DIR = JOURNAL_DIR;
const HEADER = 'header.json';
const LINES = 'done.jsonl';

interface Line {
  key: number;
  file: string;
  bytes: number;
  mtimeMs: number;
  recording: string;
  count: number | null;
  events: RecordingResult['events'];
  error?: string;
  warnings?: string[];
  seconds: number;
  scored?: { durationSec: number; sampleRate: number; image: { rows: number; cols: number; hopSec: number }; audio: boolean };
}

/** The hash a journal is tied to: every byte of the model folder's files and the detector that turns scores into calls. */
export function countConfigHash(files: ModelFiles, detector: DetectorConfig): string {
  const h = createHash('sha256');
  for (const part of [files.modelJson, new Uint8Array(files.weights), files.meta, files.detector ?? '', JSON.stringify(detector)]) h.update(part).update('\0');
  return h.digest('hex');
}

const view = (b: Buffer, T: Float32ArrayConstructor | Int16ArrayConstructor) => {
  const copy = new Uint8Array(b); // aligned
  return new T(copy.buffer, 0, copy.byteLength / T.BYTES_PER_ELEMENT);
};

export class CountJournal {
  private readonly dir: string;
  private next = 0;

  private constructor(stagingDir: string) {
    this.dir = join(stagingDir, DIR);
  }

  /** Start a journal in `stagingDir`, or, with `resume`, read the one there: its finished results, by file path. */
  static open(stagingDir: string, hash: string, resume: boolean): { journal: CountJournal; done: Map<string, RecordingResult> } {
    const journal = new CountJournal(stagingDir);
    const done = new Map<string, RecordingResult>();
    const headerPath = join(journal.dir, HEADER);
    if (resume && existsSync(headerPath)) {
      const header = JSON.parse(readFileSync(headerPath, 'utf8')) as { hash: string };
      if (header.hash !== hash) {
        throw new Error(
          `capuchin count: the interrupted run in ${stagingDir} used a different model or detector, so its results cannot be kept. ` +
            `Fix: resume with the same --model and detector options, or delete ${stagingDir} to start over.`,
        );
      }
      const path = join(journal.dir, LINES);
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      // a line cut by a kill or a full disk: end it, so the lines appended from now on start on their own
      if (text && !text.endsWith('\n')) appendFileSync(path, '\n');
      const lines = text.split('\n').filter(Boolean);
      for (const text of lines) {
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          continue; // a line cut by the kill: that file is counted again
        }
        journal.next = Math.max(journal.next, line.key + 1);
        const info = existsSync(line.file) ? statSync(line.file) : null;
        if (!info || info.size !== line.bytes || info.mtimeMs !== line.mtimeMs) continue; // changed since: count again
        done.set(line.file, journal.restore(line));
      }
    } else {
      mkdirSync(journal.dir, { recursive: true });
      writeFileSync(headerPath, JSON.stringify({ hash, createdAt: new Date().toISOString() }) + '\n');
      writeFileSync(join(journal.dir, LINES), '');
    }
    return { journal, done };
  }

  /** Record one finished file: blobs first, then its line (a kill between leaves no line, so the file is counted again). */
  append(r: RecordingResult): void {
    const key = this.next++;
    const info = statSync(r.file, { throwIfNoEntry: false });
    const s = r.scored;
    if (s) {
      const blob = (kind: string, a: ArrayBufferView) => {
        const path = this.blob(key, kind);
        tagWritePath(path, () => writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
      };
      blob('scores', s.scores);
      blob('image', s.image.data);
      if (s.audio) blob('audio', s.audio);
    }
    const line: Line = {
      key,
      file: r.file,
      bytes: info?.size ?? -1,
      mtimeMs: info?.mtimeMs ?? -1,
      recording: r.recording,
      count: r.count,
      events: r.events,
      error: r.error,
      warnings: r.warnings,
      seconds: r.seconds,
      scored: s && { durationSec: s.durationSec, sampleRate: s.sampleRate, image: { rows: s.image.rows, cols: s.image.cols, hopSec: s.image.hopSec }, audio: s.audio !== null },
    };
    const path = join(this.dir, LINES);
    tagWritePath(path, () => appendFileSync(path, JSON.stringify(line) + '\n'));
  }

  /** Remove the journal before the set is committed (it is not part of the outputs). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private blob(key: number, kind: string): string {
    return join(this.dir, `${key}.${kind}`);
  }

  private restore(line: Line): RecordingResult {
    const result: RecordingResult = { recording: line.recording, file: line.file, count: line.count, events: line.events, error: line.error, warnings: line.warnings, seconds: line.seconds };
    if (line.scored) {
      const image = view(readFileSync(this.blob(line.key, 'image')), Float32Array) as Float32Array;
      result.scored = {
        durationSec: line.scored.durationSec,
        sampleRate: line.scored.sampleRate,
        scores: view(readFileSync(this.blob(line.key, 'scores')), Float32Array) as Float32Array,
        image: { data: image, ...line.scored.image },
        audio: line.scored.audio ? (view(readFileSync(this.blob(line.key, 'audio')), Int16Array) as Int16Array) : null,
      };
    }
    return result;
  }
}
