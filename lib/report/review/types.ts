/**
 * The review output of a counting run, as the files the writer (lib/report/review/writer.ts, Node) and
 * the review app (lib/report/review/app/, browser) share. Nothing here imports Node or the DOM.
 *
 * Files, inside the run's output folder:
 *   review.html              the index: one row per recording, with this ReviewIndex inlined as JSON
 *                            in <script id="capuchin-review-index" type="application/json">, and
 *                            <script src="review/app.js">. Light: no audio, no spectrograms.
 *   review/app.js            the review app (one bundle; index and recording views, hash routed:
 *                            review.html#rec=<key> is the page of one recording).
 *   review/rec/<key>.js      one recording's heavy data, loaded on demand by a <script> element
 *                            (works from file://, where fetch() does not): `capuchinReviewLoaded(<ReviewRecordingData>);`
 *   review/clips/<key>-<n>.wav  only with clip audio (`count --review-clips`): 16 kHz mono 16-bit clips.
 *
 * Verdicts live in the browser (localStorage key `capuchin-review:<runId>`) and leave it as exports:
 *   reviewed_calls.csv  labels_calls.csv layout `recording,call_index,start_s,end_s` (call_index 0-based in
 *                       start order; a recording reviewed with no call gets one row with empty call_index,
 *                       start_s and end_s), only recordings marked fully reviewed;
 *   verdicts.csv        `recording,detection,start_s,end_s,verdict,score` (VERDICTS_COLUMNS), one row per
 *                       detection with a verdict and per added call;
 *   Raven selection tables with a Verdict column.
 */

export { REVIEWED_CALLS_FILE, VERDICTS, VERDICTS_COLUMNS, VERDICTS_FILE, type Verdict } from '../../records/verdictFormat.ts';

export const REVIEW_INDEX_FILE = 'review.html';
export const REVIEW_DIR = 'review';
export const REVIEW_APP_FILE = 'app.js';
export const REVIEW_REC_DIR = 'rec';
export const REVIEW_CLIPS_DIR = 'clips';
/** The global function a review/rec/<key>.js file calls with its ReviewRecordingData. */
export const REVIEW_LOADED_CALLBACK = 'capuchinReviewLoaded';
/** The id of the JSON <script> element in review.html. */
export const REVIEW_INDEX_ELEMENT_ID = 'capuchin-review-index';
export const REVIEW_STORAGE_PREFIX = 'capuchin-review:';

export interface ReviewEvent {
  start_s: number;
  end_s: number;
  peak_s: number;
  peak_score: number;
}

/**
 * A stretch that scored high but formed no event (a possible missed call): the highest window of a run
 * of windows at or above the candidate level outside every event. `time_s` is that window's start.
 */
export interface ReviewCandidate {
  time_s: number;
  score: number;
}

export interface ReviewIndexRecording {
  /** Short file-safe key ("r00001"): the data file review/rec/<key>.js and the key of its verdicts. */
  key: string;
  /** The recording id, as in results.csv and detections.csv. */
  recording: string;
  /** null when the file could not be processed. */
  durationSec: number | null;
  count: number | null;
  /** Highest window score; null for a failed file. */
  bestScore: number | null;
  error?: string;
  events: ReviewEvent[];
  candidates: ReviewCandidate[];
}

export interface ReviewDetectorSummary {
  onThreshold: number;
  offThreshold: number;
  smoothing: string;
  smoothingWindows: number;
  windowSec: number;
  hopSec: number;
  /** Window i starts at i·hopSec − leadSec (absent: 0). */
  leadSec?: number;
}

export interface ReviewIndex {
  version: 1;
  /** Unique per counting run: keys the browser's saved verdicts, so two runs never mix. */
  runId: string;
  title: string;
  createdAt: string;
  detector: ReviewDetectorSummary;
  /** The target's band, Hz: the boxes of the exported Raven tables (absent: the Capuchinbird's 500–2500 Hz). */
  band?: { lowHz: number; highHz: number };
  /** How detections play: 'source' (the original file, relative link + time) or 'clips' (review/clips/). */
  audio: 'source' | 'clips' | 'none';
  recordings: ReviewIndexRecording[];
}

/** Audio of one recording's page. Hrefs are relative to review.html. */
export type ReviewAudio =
  | { kind: 'source'; href: string }
  | { kind: 'clips'; clips: { event: number; href: string; from_s: number; to_s: number }[] }
  | null;

export interface ReviewRecordingData {
  key: string;
  recording: string;
  durationSec: number;
  hopSec: number;
  windowSec: number;
  /** Seconds of silence the scored stream had before the recording (absent: 0): window i starts at i·hopSec − leadSec. */
  leadSec?: number;
  /** One score per window (window i starts at i·hopSec − leadSec), rounded to 4 decimals. */
  scores: number[];
  /**
   * The coarse spectrogram, row-major [time rows][frequency columns, low → high], each value quantised to
   * a byte between `lo` (0) and `hi` (255), base64. Row r covers [r·hopSec, (r+1)·hopSec).
   */
  spectrogram: { rows: number; cols: number; hopSec: number; fminHz: number; fmaxHz: number; lo: number; hi: number; data: string } | null;
  audio: ReviewAudio;
}
