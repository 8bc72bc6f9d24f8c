/**
 * The review of shard runs joined into one (`npm run merge`): every shard's index rows and recording
 * pages, re-keyed in one sequence, links to the recordings re-pointed from the merged folder, clips copied.
 * Streams one page at a time. Shards without a review give none; some with and some without is refused.
 */
import { readFileSync } from 'node:fs';
import { readReviewIndex, readReviewPage } from './readReview.ts';
import type { ReviewIndex } from '../report/review/types.ts';
import { fileOfHref, hrefFrom, ReviewWriter } from '../report/review/writer.ts';

/**
 * Write the merged review into `dir` (staging; links are made from `finalDir`). Returns the paths written, none when
 * no shard has a review. The title is the first shard's ("Screaming Piha calls in …") with "(merged shards)".
 */
export function mergeReviews(shardDirs: readonly string[], dir: string, finalDir: string, title?: string): string[] {
  const indexes = shardDirs.map((d) => [d, readReviewIndex(d)] as const);
  const withReview = indexes.filter(([, i]) => i !== null) as [string, ReviewIndex][];
  if (!withReview.length) return [];
  if (withReview.length < indexes.length)
    throw new Error(`capuchin: review.html is in ${withReview.map(([d]) => d).join(', ')} but not in ${indexes.filter(([, i]) => !i).map(([d]) => d).join(', ')}. Fix: merge shards of the same run, or pass --no-review.`);
  const [first] = withReview;
  const index = first[1];
  const writer = new ReviewWriter({ dir, finalDir, title: title ?? `${index.title} (merged shards)`, detector: index.detector, band: index.band, audio: index.audio });
  for (const [shard, index] of withReview) {
    for (const row of index.recordings) {
      const page = readReviewPage(shard, row.key);
      writer.addWritten(row, page, (href) => hrefFrom(finalDir, fileOfHref(shard, href)), (href) => readFileSync(fileOfHref(shard, href)));
    }
  }
  return writer.finish();
}

