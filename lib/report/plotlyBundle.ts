/**
 * plotly.js source to inline into self-contained HTML reports.
 * plotly.js-dist ships only the unminified bundle (~11 MB); it is minified once with esbuild (installed
 * with tsx; ~5 MB, about 1 s) and cached in node_modules/.cache/capuchin/. Without esbuild the
 * unminified bundle is used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../data/paths.ts';
import { writeFileAtomic } from '../util/atomic.ts';

const require = createRequire(import.meta.url);
let cached: string | undefined;

/** Script text must not close or comment-open the <script> element it is inlined into. */
export function isSafeInlineScript(js: string): boolean {
  return !/<\/script|<!--/i.test(js);
}

function minify(source: string): string | undefined {
  try {
    const esbuild = require('esbuild') as typeof import('esbuild');
    return esbuild.transformSync(source, { minify: true, legalComments: 'inline' }).code;
  } catch {
    return undefined;
  }
}

/** The plotly.js bundle as a string, safe to place inside <script>…</script>. */
export function plotlyJs(): string {
  if (cached !== undefined) return cached;
  const path = require.resolve('plotly.js-dist');
  const version = (JSON.parse(readFileSync(join(dirname(path), 'package.json'), 'utf8')) as { version: string }).version;
  const cacheFile = join(REPO_ROOT, '.cache', `plotly-${version}.min.js`);
  if (existsSync(cacheFile)) {
    const js = readFileSync(cacheFile, 'utf8');
    if (isSafeInlineScript(js)) return (cached = js);
  }
  const source = readFileSync(path, 'utf8');
  const minified = minify(source);
  if (minified !== undefined && isSafeInlineScript(minified)) {
    try {
      writeFileAtomic(cacheFile, minified);
    } catch {
      // read-only checkout: minify again next time
    }
    return (cached = minified);
  }
  if (!isSafeInlineScript(source)) {
    throw new Error(`capuchin: ${path} contains "</script" or "<!--" and cannot be inlined. Fix: use a different plotly.js-dist version.`);
  }
  return (cached = source);
}
