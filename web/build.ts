/**
 * `npm run build:web`: bundle the browser counter into web/dist/, a self-contained static folder:
 * index.html, page.js, worker.js (counting), decode.js (its decoding worker), the tfjs wasm binaries, plotly.js and the shipped model
 * (models/default, or --model DIR). The folder is built beside dist and swapped in whole.
 *
 * The page and worker import the same lib/ modules as the CLI. Node built-ins that those modules
 * import for their file-system paths are replaced by stubs that throw when called (the browser code
 * never calls them; the page test would see the error), and node:path by path-browserify.
 */
import { Command } from 'commander';
import { build, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_MODEL_DIR, REPO_ROOT } from '../lib/data/paths.ts';
import { loadModelMeta, DETECTOR_FILE, META_FILE, MODEL_FILE, WEIGHTS_FILE } from '../lib/model/io.ts';
import { plotlyJs } from '../lib/report/plotlyBundle.ts';

const require = createRequire(import.meta.url);
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** csv-stringify and csv-parse use Node's Buffer in lib/; their dist/esm builds are the browser builds (polyfilled). */
/** `csv-x/sync` resolves (require) to csv-x/dist/cjs/sync.cjs; its browser twin is dist/esm/sync.js. */
const browserBuild = (specifier: string) => join(dirname(require.resolve(specifier)), '..', 'esm', 'sync.js');

function browserBuilds(): Plugin {
  return {
    name: 'capuchin-browser-builds',
    setup(b) {
      b.onResolve({ filter: /^csv-(stringify|parse)\/sync$/ }, (args) => ({ path: browserBuild(args.path) }));
    },
  };
}

/** Stubs for Node built-ins: every export is a function that throws naming itself. */
function nodeStubs(stubbed: Set<string>): Plugin {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  return {
    name: 'capuchin-node-stubs',
    setup(b) {
      b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
        if (!builtins.has(args.path)) return undefined;
        const bare = args.path.replace(/^node:/, '');
        if (bare === 'path' || bare === 'path/posix') return { path: require.resolve('path-browserify') };
        stubbed.add(bare);
        return { path: bare, namespace: 'node-stub' };
      });
      b.onLoad({ filter: /.*/, namespace: 'node-stub' }, async (args) => {
        const real = (await import(`node:${args.path}`)) as Record<string, unknown>;
        const names = Object.keys(real).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        const lines = [
          `const unavailable = (name) => function () { throw new Error('capuchin web: node:${args.path}.' + name + ' is not available in the browser'); };`,
          ...names.map((n) => `export const ${n} = unavailable('${n}');`),
          `export default new Proxy({}, { get: (_, name) => unavailable(String(name)) });`,
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

export interface WebBuild {
  outDir: string;
  files: { name: string; bytes: number }[];
  stubbed: string[];
}

export async function buildWeb(opts: { outDir?: string; modelDir?: string; minify?: boolean; log?: (line: string) => void } = {}): Promise<WebBuild> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const outDir = resolve(opts.outDir ?? join(REPO_ROOT, 'web', 'dist'));
  const modelDir = resolve(opts.modelDir ?? DEFAULT_MODEL_DIR);
  loadModelMeta(modelDir); // a clear error before bundling when the model folder is wrong
  const stage = `${outDir}.staging-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const stubbed = new Set<string>();
  try {
    log('build:web: bundling page.js, worker.js and decode.js …');
    await build({
      entryPoints: { page: join(REPO_ROOT, 'web/src/page.ts'), worker: join(REPO_ROOT, 'web/src/worker.ts'), decode: join(REPO_ROOT, 'web/src/decodeWorker.ts') },
      outdir: stage,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: opts.minify ?? true,
      sourcemap: false,
      legalComments: 'linked',
      define: { 'process.env.NODE_ENV': '"production"' },
      plugins: [browserBuilds(), nodeStubs(stubbed)],
      logLevel: 'warning',
      // lib/ resolves Node-only paths (the native addon) from import.meta.url inside functions the
      // browser never calls: an empty import.meta there is expected (the page test loads the bundle)
      logOverride: { 'empty-import-meta': 'silent' },
    });
    copyFileSync(join(REPO_ROOT, 'web/index.html'), join(stage, 'index.html'));
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    for (const f of WASM_FILES) copyFileSync(join(wasmDir, f), join(stage, f));
    writeFileSync(join(stage, 'plotly.js'), plotlyJs());
    mkdirSync(join(stage, 'model'));
    for (const f of [MODEL_FILE, WEIGHTS_FILE, META_FILE, DETECTOR_FILE, 'MODEL.md']) {
      if (existsSync(join(modelDir, f))) copyFileSync(join(modelDir, f), join(stage, 'model', f));
    }
    // Swap the whole folder in: a reader sees the old dist or the new one, never a mix.
    const old = `${outDir}.old-${process.pid}`;
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(stage, outDir);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw err;
  }
  const files = listFiles(outDir);
  log(`build:web: wrote ${outDir} (${files.length} files, ${(files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB; Node built-ins stubbed: ${[...stubbed].sort().join(', ') || 'none'})`);
  return { outDir, files, stubbed: [...stubbed].sort() };
}

function listFiles(dir: string, prefix = ''): { name: string; bytes: number }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${name}/`) : [{ name: `${prefix}${name}`, bytes: statSync(path).size }];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const program = new Command('build:web')
    .description('Bundle the browser counter into a static folder (default web/dist)')
    .option('--out <dir>', 'output folder', join(REPO_ROOT, 'web', 'dist'))
    .option('--model <dir>', 'model folder to ship with the page', DEFAULT_MODEL_DIR)
    .option('--no-minify', 'keep the bundles readable');
  program.parse();
  const o = program.opts<{ out: string; model: string; minify: boolean }>();
  buildWeb({ outDir: o.out, modelDir: o.model, minify: o.minify }).catch((err) => {
    process.stderr.write(`build:web: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
