/**
 * Loads capuchin_native.node, the optional native kernels (*.cc here; `npm run build:native` builds them
 * into build/native/ with g++ and Debian's libdnnl-dev). Without it (no compiler or oneDNN at install,
 * another OS, or CAPUCHIN_NATIVE=0) every kernel stays on wasm, with the same results up to float rounding.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type HeapFn = (heap: Float32Array, params: Int32Array) => void;

/** The addon's functions; parameter layouts in native.h. */
export interface NativeAddon {
  convForward: HeapFn;
  convBackwardData: HeapFn;
  convBackwardFilter: HeapFn;
  maxPool: HeapFn;
  maxPoolGrad: HeapFn;
  batchNorm: HeapFn;
  batchNormGrad: HeapFn;
  adam: HeapFn;
  reduceLeading: HeapFn;
  binary: HeapFn;
  unary: HeapFn;
  /** e.g. "oneDNN 2.6.3 (OpenMP)" */
  version(): string;
}

/** Length of every params array (native.h PARAM_COUNT); the thread count sits at THREADS_AT. */
export const PARAM_COUNT = 23;
export const THREADS_AT = 22;

/** Where build.sh puts the addon (a function: the browser bundle, which has no addon, must not resolve it). */
export function addonPath(): string {
  return fileURLToPath(new URL('../../../../build/native/capuchin_native.node', import.meta.url));
}

/** Node, not a browser or a web worker (the web bundle stubs node:fs and has no `process.versions.node`). */
function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

const FUNCTIONS = ['convForward', 'convBackwardData', 'convBackwardFilter', 'maxPool', 'maxPoolGrad', 'batchNorm', 'batchNormGrad', 'adam', 'reduceLeading', 'binary', 'unary', 'version'] as const;

/** True when build.sh recorded CPU flags (/proc/cpuinfo) that differ from this machine's. */
function builtForOtherCpu(path: string): boolean {
  try {
    const built = (JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { cpuFlags?: string }).cpuFlags;
    const here = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    if (built === undefined || here === undefined) return false;
    const norm = (flags: string) => flags.trim().split(/\s+/).sort().join(' ');
    return norm(built) !== norm(here);
  } catch {
    return false; // no record or no /proc: nothing to compare
  }
}

let loaded: { addon: NativeAddon } | { reason: string } | null = null;

/** The addon, or why it is not there (a line for reports). Loaded once per thread. */
export function loadNative(): { addon: NativeAddon } | { reason: string } {
  if (loaded) return loaded;
  if (!inNode()) return (loaded = { reason: 'no native kernels outside Node' });
  const ADDON_PATH = addonPath();
  if (process.env.CAPUCHIN_NATIVE === '0') loaded = { reason: 'native kernels off (CAPUCHIN_NATIVE=0)' };
  else if (!existsSync(ADDON_PATH)) loaded = { reason: `no native kernels at ${ADDON_PATH} (npm run build:native builds them; it needs g++ and libdnnl-dev)` };
  else if (builtForOtherCpu(ADDON_PATH)) loaded = { reason: `${ADDON_PATH} was built for a CPU with other features than this one (-march=native); rebuild it here with npm run build:native` };
  else {
    try {
      const m = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
      const missing = FUNCTIONS.filter((f) => typeof m[f] !== 'function');
      if (missing.length > 0) throw new Error(`${ADDON_PATH} lacks ${missing.join(', ')}: it is older than this checkout`);
      // a plain object (the module's own properties are read-only), so tests can count calls
      loaded = { addon: Object.fromEntries(FUNCTIONS.map((f) => [f, m[f]])) as unknown as NativeAddon };
    } catch (err) {
      loaded = { reason: `native kernels did not load (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); rebuild them with npm run build:native` };
    }
  }
  return loaded;
}
