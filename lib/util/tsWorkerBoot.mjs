// Worker entry that lets worker_threads run TypeScript modules: registers tsx, then imports the
// module named in workerData.__entry. Node refuses `.ts` worker entries even under `--import tsx`.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__entry);
