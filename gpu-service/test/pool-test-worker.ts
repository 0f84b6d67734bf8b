/**
 * Worker for worker-pool.test.ts: doubles numbers, fails on -1, and dies on -2; numbers of 1000 and
 * more are answered after that many microseconds' wait (asynchronously, so a later job can finish first).
 */
import { serveJobs } from '../src/log-mel/worker-protocol.js';

serveJobs<number, number>((n) => {
  if (n === -1) throw new Error('cannot double -1');
  // Ends this worker thread only, the way a fatal error in the worker would.
  if (n === -2) process.exit(3);
  if (n >= 1000) return new Promise((resolve) => setTimeout(() => resolve({ value: 2 * n }), n / 1000));
  return { value: 2 * n };
});
