/**
 * Bench suite "train": one Adam training step (batch 32, binary cross-entropy) of compact-cnn on
 * the shipped model's input (149×48×1) and of the 3-conv reference CNN on 300×64×1, on the tfjs backend selectBackend picks, next
 * to PyTorch CPU training the same layer list (tools/reference/torch_step.py) in the same run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../lib/data/paths.ts';
import { estimateCost, getArchitecture } from '../../lib/model/architectures/index.ts';
import { loadModelMeta } from '../../lib/model/io.ts';
import { selectBackend } from '../../lib/model/backend/select.ts';
import { timeTrainingStep } from '../../lib/model/backend/stepTiming.ts';
import { writeJsonAtomic } from '../../lib/util/atomic.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';
import { findPython } from '../../lib/util/executables.ts';

const TORCH_STEP = new URL('../../tools/reference/torch_step.py', import.meta.url).pathname;
const BATCH = 32;
/** untimed steps first, the same for both: JIT compilation and kernel setup settle within ~5 steps of thousands */
const WARMUP = 5;
/** issue 12: tfjs seconds ≤ 1.5 × torch seconds, as reference s / ours s ≥ 1 / 1.5 */
const TARGET_RATIO = 0.67;

interface TorchResult {
  torch: string;
  threads: number;
  median_s: number;
  median_cpu_s: number;
}

/** PyTorch's median step, or the reason it could not run. */
function torchStep(ctx: BenchContext, architecture: string, shape: [number, number], threads: number, steps: number): TorchResult | string {
  const spec = join(ctx.tmpDir, `${architecture}-${shape.join('x')}.json`);
  writeJsonAtomic(spec, getArchitecture(architecture).layers(shape));
  const args = [TORCH_STEP, '--spec', spec, '--frames', String(shape[0]), '--bins', String(shape[1]), '--batch', String(BATCH), '--threads', String(threads), '--steps', String(steps), '--warmup', String(WARMUP)];
  const python = findPython(['torch']);
  if (!python) return 'PyTorch reference skipped: no python3 with torch ($CAPUCHIN_PYTHON, else on PATH; Debian: apt-get install python3-torch)';
  try {
    return JSON.parse(execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as TorchResult;
  } catch (err) {
    const detail = err instanceof Error ? (err as Error & { stderr?: string }).stderr || err.message : String(err);
    return `PyTorch reference skipped: ${python} ${TORCH_STEP} failed (${detail.trim().split('\n').pop()})`;
  }
}

export const trainBench: BenchSuite = async (ctx) => {
  const backend = await selectBackend({ log: (l) => process.stderr.write(`  ${l}\n`) });
  const steps = ctx.quick ? 5 : 11;
  const rows: BenchRow[] = [];
  const cases: { architecture: string; shape: [number, number]; label: string }[] = [
    { architecture: 'compact-cnn', shape: loadModelMeta(DEFAULT_MODEL_DIR).inputShape, label: 'compact-cnn, the shipped model\'s input' },
    { architecture: 'reference-3conv', shape: [300, 64], label: '3-conv reference CNN' },
  ];
  for (const { architecture, shape, label } of cases) {
    const cost = estimateCost(architecture, shape, BATCH);
    const ours = await timeTrainingStep(architecture, shape, { batchSize: BATCH, steps, warmup: WARMUP });
    const torch2 = torchStep(ctx, architecture, shape, 2, steps);
    const torch1 = torchStep(ctx, architecture, shape, 1, steps);
    const gflop = (cost.trainFlopsPerExample * BATCH) / 1e9;
    const reference = typeof torch2 === 'string' ? null : { name: `PyTorch ${torch2.torch} CPU, ${torch2.threads} threads`, seconds: torch2.median_s, throughput: BATCH / torch2.median_s, unit: 'examples/s' };
    rows.push({
      task: `training step: ${label}, Adam, binary cross-entropy`,
      workload: `batch ${BATCH} × ${shape[0]}×${shape[1]}×1, ${(cost.params / 1e3).toFixed(1)} k params, ~${gflop.toFixed(1)} GFLOP/step, median of ${steps} after ${WARMUP} warm-up`,
      ours: { name: `tfjs ${backend.name} (${backend.threads} thread${backend.threads === 1 ? '' : 's'})`, seconds: ours.medianSeconds, throughput: ours.examplesPerSecond, unit: 'examples/s' },
      reference,
      speedRatio: reference ? reference.seconds / ours.medianSeconds : null,
      target: TARGET_RATIO,
      note: typeof torch2 === 'string' ? torch2 : `tfjs/torch = ${(ours.medianSeconds / torch2.median_s).toFixed(1)}× (target ≤ 1.5×)`,
      extra: {
        tfjsCpuSecondsPerStep: Number(ours.medianCpuSeconds.toFixed(3)),
        tfjsGflopPerSecond: Number((gflop / ours.medianSeconds).toFixed(1)),
        torch1ThreadSeconds: typeof torch1 === 'string' ? torch1 : Number(torch1.median_s.toFixed(3)),
        torch1ThreadCpuSeconds: typeof torch1 === 'string' ? torch1 : Number(torch1.median_cpu_s.toFixed(3)),
      },
    });
  }
  return rows;
};
