// Worker entry that lets worker_threads run TypeScript modules: registers tsx, then imports the
// module named in workerData.__entry. Node refuses `.ts` worker entries even under `--import tsx`.
// The packages in workerData.__preload (plain JavaScript, e.g. tfjs) are imported first, with source maps off and
// before tsx's hooks (lib/util/workers.ts TFJS_PRELOAD says why); the modules imported after keep their maps.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

if (workerData.__preload?.length) {
  const enabled = process.sourceMapsEnabled ?? true; // the getter is Node ≥ 20.7
  process.setSourceMapsEnabled(false);
  for (const pkg of workerData.__preload) await import(pkg);
  process.setSourceMapsEnabled(enabled);
}
register();
await import(workerData.__entry);
