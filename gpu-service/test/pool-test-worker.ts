/** Worker for worker-pool.test.ts: doubles numbers, fails on -1, and dies on -2. */
import { serveJobs } from '../src/log-mel/worker-protocol.js';

serveJobs<number, number>((n) => {
  if (n === -1) throw new Error('cannot double -1');
  // Ends this worker thread only, the way a fatal error in the worker would.
  if (n === -2) process.exit(3);
  return { value: 2 * n };
});
