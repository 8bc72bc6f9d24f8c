/**
 * review/app.js: the review app (lib/report/review/app/main.ts) bundled for the browser with esbuild,
 * once per process and reused for every run it writes.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function reviewAppJs(): string {
  if (cached === undefined) {
    const entry = fileURLToPath(new URL('./app/main.ts', import.meta.url));
    const out = buildSync({ entryPoints: [entry], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2020', minify: true, legalComments: 'none', logLevel: 'silent' });
    cached = out.outputFiles[0].text;
  }
  return cached;
}
