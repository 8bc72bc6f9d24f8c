/**
 * The reviewer's decisions, as saved in the browser: verdicts per detection, nudged starts, added calls,
 * candidate decisions and the fully-reviewed flag, per recording key. Small by design (no copies of the
 * run's data), serialised to localStorage under `capuchin-review:<runId>`.
 */
import { REVIEW_STORAGE_PREFIX } from '../types.ts';

export type EventVerdict = 'accept' | 'reject' | 'unsure';

export interface AddedCall {
  start_s: number;
  end_s: number;
  /** The candidate it was added from (deleting the call undoes that decision); absent for a click. */
  candidate?: number;
}

export interface RecordingState {
  /** Verdict per event index (0-based, as in the index's events). */
  verdicts: Record<number, EventVerdict>;
  /** Start per event index, when nudged. */
  starts: Record<number, number>;
  added: AddedCall[];
  /** Candidate index → 'accept' (a call was added there) or 'reject'. */
  candidates: Record<number, 'accept' | 'reject'>;
  done: boolean;
}

export interface ReviewState {
  version: 1;
  recordings: Record<string, RecordingState>;
}

export const emptyState = (): ReviewState => ({ version: 1, recordings: {} });
export const emptyRecording = (): RecordingState => ({ verdicts: {}, starts: {}, added: [], candidates: {}, done: false });

export const storageKey = (runId: string) => `${REVIEW_STORAGE_PREFIX}${runId}`;

/** Parse saved state; anything unreadable gives an empty state (and `error` says why). */
export function parseState(text: string | null): { state: ReviewState; error?: string } {
  if (!text) return { state: emptyState() };
  try {
    const raw = JSON.parse(text) as Partial<ReviewState>;
    if (raw.version !== 1 || typeof raw.recordings !== 'object' || raw.recordings === null) return { state: emptyState(), error: 'saved review state has an unknown layout; starting fresh' };
    const recordings: Record<string, RecordingState> = {};
    for (const [key, r] of Object.entries(raw.recordings)) {
      if (typeof r !== 'object' || r === null) continue;
      const added = Array.isArray(r.added) ? r.added.filter((a) => a && Number.isFinite(a.start_s) && Number.isFinite(a.end_s)) : [];
      recordings[key] = { ...emptyRecording(), ...r, added, done: r.done === true };
    }
    return { state: { version: 1, recordings } };
  } catch (err) {
    return { state: emptyState(), error: `saved review state is not JSON (${(err as Error).message}); starting fresh` };
  }
}

/** Minimal Storage (window.localStorage, or a fake in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Saved state of one run, written through on every change; a failing store is reported, never thrown. */
export class ReviewStore {
  state: ReviewState;
  /** The last load or save problem, for a visible warning. */
  problem: string | null = null;

  constructor(private readonly runId: string, private readonly store: KeyValueStore | null) {
    let text: string | null = null;
    try {
      text = store?.getItem(storageKey(runId)) ?? null;
      if (!store) this.problem = 'this browser gives the page no localStorage: decisions are lost when the page closes. Export them before leaving.';
    } catch (err) {
      this.problem = `cannot read saved decisions (${(err as Error).message}); they will not be kept. Export before leaving.`;
    }
    const parsed = parseState(text);
    this.state = parsed.state;
    if (parsed.error) this.problem = parsed.error;
  }

  recording(key: string): RecordingState {
    return (this.state.recordings[key] ??= emptyRecording());
  }

  /** Read-only view: no entry is created. */
  peek(key: string): RecordingState | undefined {
    return this.state.recordings[key];
  }

  save(): void {
    if (!this.store) return;
    try {
      this.store.setItem(storageKey(this.runId), JSON.stringify(this.state));
      if (this.problem?.startsWith('cannot save')) this.problem = null;
    } catch (err) {
      this.problem = `cannot save decisions in this browser (${(err as Error).message}): export them now, or they are lost on reload.`;
    }
  }
}
