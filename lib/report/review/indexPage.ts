/** review.html: the index page, with the run's ReviewIndex inlined as JSON and the app loaded from review/app.js. */
import { htmlDocument, scriptJson } from '../plotlyHtml.ts';
import { REVIEW_APP_FILE, REVIEW_DIR, REVIEW_INDEX_ELEMENT_ID, type ReviewIndex } from './types.ts';

export function reviewIndexHtml(index: ReviewIndex): string {
  return htmlDocument(index.title, '', `<noscript>This review page needs JavaScript. The counts are in results.csv and detections.csv beside it.</noscript>
<div id="app"><p>Loading ${index.recordings.length} recording(s)…</p></div>
<script id="${REVIEW_INDEX_ELEMENT_ID}" type="application/json">${scriptJson(index)}</script>
<script src="${REVIEW_DIR}/${REVIEW_APP_FILE}"></script>`);
}
