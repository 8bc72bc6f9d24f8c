/** Read a written review back (its index and recording pages): for merging shards and for tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REVIEW_DIR, REVIEW_INDEX_ELEMENT_ID, REVIEW_INDEX_FILE, REVIEW_LOADED_CALLBACK, REVIEW_REC_DIR, type ReviewIndex, type ReviewRecordingData } from '../report/review/types.ts';

/** The ReviewIndex inlined in `dir`/review.html, or null when the folder has no review. */
export function readReviewIndex(dir: string): ReviewIndex | null {
  const path = join(dir, REVIEW_INDEX_FILE);
  if (!existsSync(path)) return null;
  const m = new RegExp(`<script id="${REVIEW_INDEX_ELEMENT_ID}" type="application/json">(.*?)</script>`, 's').exec(readFileSync(path, 'utf8'));
  if (!m) throw new Error(`capuchin: ${path} holds no review index (written by an older capuchin?). Fix: count the shard again, or merge with --no-review.`);
  return JSON.parse(m[1]) as ReviewIndex;
}

/** One recording's page data, or null when it has none (a failed file). */
export function readReviewPage(dir: string, key: string): ReviewRecordingData | null {
  const path = join(dir, REVIEW_DIR, REVIEW_REC_DIR, `${key}.js`);
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8').trim();
  const head = `${REVIEW_LOADED_CALLBACK}(`;
  if (!text.startsWith(head) || !text.endsWith(');')) throw new Error(`capuchin: ${path} is not a review page. Fix: count the shard again.`);
  return JSON.parse(text.slice(head.length, -2)) as ReviewRecordingData;
}
