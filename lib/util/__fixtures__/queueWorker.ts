/**
 * Test worker for workerQueue.test.ts: doubles numbers; job −1 throws an uncaught error from a timer (a crash the
 * job's own promise never sees), job −2 exits the thread; setup fails when asked.
 */
import { serveQueue } from '../workerQueue.ts';

await serveQueue<number, number>(async (data) => {
  if ((data as { failSetup?: boolean }).failSetup) throw new Error('setup failed on purpose');
  return {
    run: (job) =>
      new Promise<number>((resolve) => {
        if (job === -1) setTimeout(() => { throw new Error('crash on purpose'); }, 1);
        else if (job === -2) process.exit(7);
        else resolve(2 * job);
      }),
  };
});
