/**
 * The review app (bundled into review/app.js by lib/report/review/appBundle.ts): reads the run's index
 * from review.html, routes `#rec=<key>` to a recording's page (its data loaded from review/rec/<key>.js
 * with a <script> element, which works from file://), and keeps the reviewer's decisions in localStorage.
 */
import { REVIEW_DIR, REVIEW_INDEX_ELEMENT_ID, REVIEW_LOADED_CALLBACK, REVIEW_REC_DIR, type ReviewIndex, type ReviewRecordingData } from '../types.ts';
import { h, STYLE } from './dom.ts';
import { renderIndex } from './indexView.ts';
import { reviewQueue } from './queue.ts';
import { RecordingView, type Selection } from './recordingView.ts';
import { ReviewStore, type KeyValueStore } from './state.ts';

const pages = new Map<string, ReviewRecordingData>();
const waiting = new Map<string, (d: ReviewRecordingData) => void>();

(window as unknown as Record<string, unknown>)[REVIEW_LOADED_CALLBACK] = (d: ReviewRecordingData) => {
  pages.set(d.key, d);
  waiting.get(d.key)?.(d);
  waiting.delete(d.key);
};

function loadPage(key: string): Promise<ReviewRecordingData> {
  const have = pages.get(key);
  if (have) return Promise.resolve(have);
  return new Promise((resolve, reject) => {
    waiting.set(key, resolve);
    const s = h('script', { src: `${REVIEW_DIR}/${REVIEW_REC_DIR}/${key}.js` });
    s.addEventListener('error', () => reject(new Error(`cannot load ${REVIEW_DIR}/${REVIEW_REC_DIR}/${key}.js: keep review.html and the review/ folder together`)));
    document.head.append(s);
  });
}

function localStore(): KeyValueStore | null {
  try {
    return window.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Keys typed into a text field (or moving a slider) are the field's, not the review's. */
function typingInto(t: HTMLElement): boolean {
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  if (t.tagName !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes((t as HTMLInputElement).type);
}

/** A key with a modifier, or one the focused element keeps: typing, Space/Enter on a control, a player's keys. */
function notForTheReview(ev: KeyboardEvent): boolean {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return true;
  const t = ev.target as HTMLElement | null;
  if (!t) return false;
  if (typingInto(t)) return true;
  // Space and Enter keep activating the focused button, link or checkbox; a player keeps its own keys
  if ((ev.key === ' ' || ev.key === 'Enter') && (t.tagName === 'BUTTON' || t.tagName === 'A' || t.tagName === 'INPUT')) return true;
  return (t.tagName === 'AUDIO' || t.tagName === 'VIDEO') && (ev.key.length !== 1 || ev.key === ' ');
}

function boot(): void {
  const el = document.getElementById(REVIEW_INDEX_ELEMENT_ID);
  const root = document.getElementById('app')!;
  document.head.append(h('style', {}, STYLE));
  if (!el?.textContent) {
    root.textContent = 'This page holds no review index.';
    return;
  }
  const index = JSON.parse(el.textContent) as ReviewIndex;
  // a line above the views for short news ("nothing left to review"), cleared on every route
  const message = h('p', { id: 'message', role: 'status', class: 'muted' });
  root.before(message);
  const store = new ReviewStore(index.runId, localStore());
  let view: RecordingView | null = null;
  let pendingSelect: Selection = null;

  const next = () => {
    const item = reviewQueue(index, store.state)[0];
    if (!item) {
      message.textContent = 'Nothing left to review: every detection has a verdict and every candidate a decision (recordings marked fully reviewed are skipped).';
      return;
    }
    const sel: Selection = { kind: item.kind, index: item.index };
    if (view && location.hash === `#rec=${item.key}`) view.select(sel);
    else {
      pendingSelect = sel;
      location.hash = `rec=${item.key}`;
    }
  };

  const route = async () => {
    message.textContent = '';
    const m = /^#rec=([\w.-]+)$/.exec(location.hash);
    const rec = m ? index.recordings.find((r) => r.key === m[1]) : undefined;
    view = null;
    delete document.body.dataset.ready;
    if (!rec) {
      renderIndex(root, index, store, next);
      document.title = index.title;
      document.body.dataset.ready = 'index'; // for tests and the bench: the index is on the page
      return;
    }
    document.title = `${rec.recording} · ${index.title}`;
    if (rec.count === null) {
      root.replaceChildren(h('p', {}, h('a', { href: '#' }, '← all recordings')), h('h1', { text: rec.recording }), h('p', { class: 'warn', text: `Not counted: ${rec.error ?? 'unknown error'}` }));
      return;
    }
    root.replaceChildren(h('p', { text: `Loading ${rec.recording}…` }));
    try {
      const data = await loadPage(rec.key);
      const sel = pendingSelect;
      pendingSelect = null;
      if (location.hash === `#rec=${rec.key}`) {
        view = new RecordingView(root, index, rec, data, store, next, sel);
        document.body.dataset.ready = rec.key;
      }
    } catch (err) {
      root.replaceChildren(h('p', {}, h('a', { href: '#' }, '← all recordings')), h('p', { class: 'warn', text: (err as Error).message }));
    }
  };

  document.addEventListener('keydown', (ev) => {
    if (notForTheReview(ev)) return;
    if (ev.key === 'n') {
      ev.preventDefault();
      next();
      return;
    }
    if (ev.key === 'Escape' && view) {
      location.hash = '';
      return;
    }
    if (view?.key(ev)) ev.preventDefault();
  });
  window.addEventListener('hashchange', () => void route());
  void route();
}

boot();
