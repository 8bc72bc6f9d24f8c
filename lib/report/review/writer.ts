/**
 * Write the review of a counting run as it goes (lib/report/review/types.ts has the layout): each
 * recording's page data (review/rec/<key>.js, and its clips) is written when the recording is added,
 * and only a light row (id, count, events, candidates) is kept for the index. Memory and time grow with
 * one recording, not with the run: 1,000 recordings keep 1,000 small rows.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join, relative, resolve, sep } from 'node:path';
import type { DetectedEvent } from '../../detect/events.ts';
import { eventClip } from '../../detect/eventClip.ts';
import { makeDirs, writeFileAtomic } from '../../util/atomic.ts';
import { encodeWav16 } from '../audioClips.ts';
import { reviewAppJs } from './appBundle.ts';
import { reviewCandidates } from './candidates.ts';
import { scriptJson } from '../plotlyHtml.ts';
import { reviewIndexHtml } from './indexPage.ts';
import { reviewSpectrogram } from './spectrogramData.ts';
import {
  REVIEW_APP_FILE, REVIEW_CLIPS_DIR, REVIEW_DIR, REVIEW_INDEX_FILE, REVIEW_LOADED_CALLBACK, REVIEW_REC_DIR,
  type ReviewAudio, type ReviewDetectorSummary, type ReviewIndex, type ReviewIndexRecording, type ReviewRecordingData,
} from './types.ts';

/** How the page plays detections: from the original file (default), from clips written beside it, or not at all. */
export type ReviewAudioMode = 'source' | 'clips' | 'none';

/** What the writer needs of one counted recording (a lib/detect RecordingResult fits). */
export interface ReviewInput {
  recording: string;
  /** The audio file (for 'source' links). */
  file: string;
  count: number | null;
  events: readonly DetectedEvent[];
  error?: string;
  scored?: {
    durationSec: number;
    scores: Float32Array;
    image: { data: Float32Array; rows: number; cols: number; hopSec: number };
    audio: Int16Array | null;
    sampleRate: number;
  };
}

export interface ReviewWriterOptions {
  /** Folder the files are written into now (a run's staging folder). */
  dir: string;
  /** Folder review.html will be opened from (the run's final folder): links to the recordings are relative to it. Default `dir`. */
  finalDir?: string;
  title: string;
  /** The detector that made the events (its thresholds are drawn; the off threshold finds candidates). */
  detector: ReviewDetectorSummary;
  /** The target's band, for the boxes of the Raven tables the page exports. */
  band?: { lowHz: number; highHz: number };
  /** The model's feature band, for the spectrogram's frequency axis (needed by `add`). */
  fminHz?: number;
  fmaxHz?: number;
  audio?: ReviewAudioMode;
  /** Seconds of context around a call in a clip (default 0.5) and longest clip (default 8 s). */
  clipPadSec?: number;
  maxClipSec?: number;
  /** Keys the browser's saved verdicts; default: a new random id. */
  runId?: string;
}

/** Browsers play these from a link; others (RF64, AIFF, …) get no player in 'source' mode. */
const PLAYABLE = /\.(mp3|wav|wave|flac|ogg|oga|opus|m4a|aac|webm)$/i;

const round = (x: number, d: number) => Number(x.toFixed(d));

/** A relative link from folder `from` to `file`, each path segment URL-encoded ("Forest Recordings" → Forest%20Recordings). */
export function hrefFrom(from: string, file: string): string {
  return relative(resolve(from), resolve(file)).split(sep).map(encodeURIComponent).join('/');
}

/** The file a relative link of a page in folder `from` points to. */
export function fileOfHref(from: string, href: string): string {
  return resolve(from, ...href.split('/').map(decodeURIComponent));
}

export class ReviewWriter {
  private readonly rows: ReviewIndexRecording[] = [];
  private readonly opts: ReviewWriterOptions & { audio: ReviewAudioMode };
  private readonly written: string[] = [];

  constructor(opts: ReviewWriterOptions) {
    this.opts = { ...opts, audio: opts.audio ?? 'source' };
    makeDirs(join(opts.dir, REVIEW_DIR, REVIEW_REC_DIR));
  }

  private nextKey(): string {
    return `r${String(this.rows.length + 1).padStart(5, '0')}`;
  }

  /** Write one recording's page data now; keep only its index row. */
  add(r: ReviewInput): void {
    const key = this.nextKey();
    const events = r.events.map((e) => ({ start_s: round(e.start_s, 3), end_s: round(e.end_s, 3), peak_s: round(e.peak_s, 3), peak_score: round(e.peak_score, 4) }));
    const s = r.scored;
    if (!s || r.count === null) {
      this.rows.push({ key, recording: r.recording, durationSec: null, count: null, bestScore: null, error: r.error ?? 'not processed', events: [], candidates: [] });
      return;
    }
    const d = this.opts.detector;
    let best = 0;
    for (const v of s.scores) if (v > best) best = v;
    this.rows.push({
      key, recording: r.recording, durationSec: round(s.durationSec, 3), count: r.count, bestScore: round(best, 4), events,
      candidates: reviewCandidates(s.scores, events, { hopSec: d.hopSec, windowSec: d.windowSec, leadSec: d.leadSec, level: d.offThreshold }),
    });
    this.writePage({
      key, recording: r.recording, durationSec: round(s.durationSec, 3), hopSec: d.hopSec, windowSec: d.windowSec,
      ...(d.leadSec ? { leadSec: d.leadSec } : {}),
      scores: Array.from(s.scores, (v) => round(v, 4)),
      spectrogram: s.image.rows > 0 ? reviewSpectrogram({ ...s.image, fminHz: this.opts.fminHz ?? 0, fmaxHz: this.opts.fmaxHz ?? s.sampleRate / 2 }) : null,
      audio: this.audioFor(key, r),
    });
  }

  /**
   * Add a recording whose page was written by another writer (a shard's review, lib/pipeline/mergeShards.ts):
   * its row and page get this writer's next key; `audio` maps the page's audio (hrefs relative to the
   * other review.html) to this one, and `clip(href)` returns the bytes of one of its clips.
   */
  addWritten(row: ReviewIndexRecording, page: ReviewRecordingData | null, relink: (href: string) => string, clip: (href: string) => Uint8Array): void {
    const key = this.nextKey();
    this.rows.push({ ...row, key });
    if (!page) return;
    let audio = page.audio;
    if (audio?.kind === 'source') audio = { kind: 'source', href: relink(audio.href) };
    else if (audio?.kind === 'clips')
      audio = {
        kind: 'clips',
        clips: audio.clips.map((c) => {
          const name = `${key}-${c.event}.wav`;
          this.write(join(REVIEW_DIR, REVIEW_CLIPS_DIR, name), clip(c.href));
          return { ...c, href: `${REVIEW_DIR}/${REVIEW_CLIPS_DIR}/${name}` };
        }),
      };
    this.writePage({ ...page, key, audio });
  }

  private writePage(data: ReviewRecordingData): void {
    this.write(join(REVIEW_DIR, REVIEW_REC_DIR, `${data.key}.js`), `${REVIEW_LOADED_CALLBACK}(${scriptJson(data)});\n`);
  }

  private audioFor(key: string, r: ReviewInput): ReviewAudio {
    const mode = this.opts.audio;
    if (mode === 'source') {
      if (!PLAYABLE.test(r.file)) return null;
      return { kind: 'source', href: hrefFrom(this.opts.finalDir ?? this.opts.dir, r.file) };
    }
    if (mode === 'clips' && r.scored?.audio) {
      const pad = this.opts.clipPadSec ?? 0.5;
      const clips = r.events.flatMap((e, i) => {
        const clip = eventClip(r.scored!, e, pad);
        if (!clip) return [];
        const name = `${key}-${i + 1}.wav`;
        this.write(join(REVIEW_DIR, REVIEW_CLIPS_DIR, name), encodeWav16(clip, this.opts.maxClipSec ?? 8));
        const from = Math.max(0, e.start_s - pad);
        return [{ event: i + 1, href: `${REVIEW_DIR}/${REVIEW_CLIPS_DIR}/${name}`, from_s: round(from, 3), to_s: round(Math.min(from + clip.samples.length / clip.sampleRate, from + (this.opts.maxClipSec ?? 8)), 3) }];
      });
      return { kind: 'clips', clips };
    }
    return null;
  }

  private write(rel: string, data: string | Uint8Array): void {
    const path = join(this.opts.dir, rel);
    writeFileAtomic(path, data);
    this.written.push(path);
  }

  /** Rows kept so far (for tests and progress). */
  get recordings(): readonly ReviewIndexRecording[] {
    return this.rows;
  }

  /** Write review.html and review/app.js; returns every path written. */
  finish(): string[] {
    const d = this.opts.detector;
    const recordings = [...this.rows].sort((a, b) => (a.recording < b.recording ? -1 : a.recording > b.recording ? 1 : 0));
    const createdAt = new Date().toISOString();
    const index: ReviewIndex = {
      version: 1,
      runId: this.opts.runId ?? createHash('sha256').update(`${resolve(this.opts.finalDir ?? this.opts.dir)}\0${createdAt}\0`).update(randomBytes(16)).digest('hex').slice(0, 16),
      title: this.opts.title,
      createdAt,
      detector: { onThreshold: d.onThreshold, offThreshold: d.offThreshold, smoothing: d.smoothing, smoothingWindows: d.smoothingWindows, windowSec: d.windowSec, hopSec: d.hopSec },
      ...(this.opts.band ? { band: this.opts.band } : {}),
      audio: this.opts.audio,
      recordings,
    };
    this.write(join(REVIEW_DIR, REVIEW_APP_FILE), reviewAppJs());
    this.write(REVIEW_INDEX_FILE, reviewIndexHtml(index));
    return [...this.written];
  }
}
