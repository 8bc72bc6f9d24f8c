/**
 * Bench suite "kernels": each tfjs kernel capuchin replaces or adds on the wasm backend, timed alone on the shapes
 * the kernels' source comments cite, in three processes of the same run (experiments/bench/kernelOps.ts):
 * stock tfjs-backend-wasm, with capuchin's wasm training kernels (lib/model/backend/wasmKernels), and with the
 * native kernels over them (lib/model/backend/native). One row per kernel: ours is the fastest capuchin set that
 * covers it, the reference stock wasm; extra holds all three (ms, single-threaded, median of 11).
 */
import { spawnSync } from 'node:child_process';
import { KERNEL_CASES } from './kernelOps.ts';
import type { BenchRow, BenchSuite } from './types.ts';

const SCRIPT = new URL('./kernelOps.ts', import.meta.url).pathname;
type Timings = Record<string, number | null> | { skipped: string };

function timings(mode: 'stock' | 'wasm' | 'native', quick: boolean): Timings {
  const res = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, mode, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (res.status !== 0) throw new Error(`kernels bench: kernelOps.ts ${mode} failed: ${(res.stderr || '').trim().split('\n').pop()}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Timings;
}

export const kernelsBench: BenchSuite = async (ctx) => {
  const stock = timings('stock', ctx.quick) as Record<string, number | null>;
  const wasm = timings('wasm', ctx.quick) as Record<string, number | null>;
  const native = timings('native', ctx.quick);
  const nativeMs = 'skipped' in native ? null : native;
  return KERNEL_CASES.map(({ name }): BenchRow => {
    const s = stock[name] ?? null;
    const w = wasm[name] ?? null;
    const n = nativeMs?.[name] ?? null;
    const best = n !== null && (w === null || n <= w) ? { set: 'native kernels', ms: n } : { set: 'capuchin wasm kernels', ms: w };
    return {
      task: `tfjs kernel ${name}, backend wasm, one thread`,
      workload: `median of ${ctx.quick ? 3 : 11} calls`,
      ours: { name: best.set, seconds: (best.ms ?? NaN) / 1000 },
      reference: s === null ? null : { name: 'stock tfjs-backend-wasm', seconds: s / 1000 },
      speedRatio: s !== null && best.ms !== null ? s / best.ms : null,
      note: s === null ? 'stock tfjs-backend-wasm has no such kernel' : 'skipped' in native ? `native kernels not measured: ${native.skipped}` : undefined,
      extra: { stockMs: s ?? 'none', wasmKernelMs: w ?? 'none', nativeKernelMs: n ?? 'none' },
    };
  });
};
