import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects (`npm run test:host`, `npm run test:qemu`; `npm test` runs both):
 * - qemu: every file named `*-qemu.test.ts`, the tests that build firmware with arm-none-eabi-gcc
 *   or run it under QEMU. A test of that kind goes in such a file (split a file that mixes both).
 * - host: everything else, TypeScript and host-compiled C.
 */
const QEMU = ['test/**/*-qemu.test.ts'];

// vitest's default is one worker per CPU less one: a single worker on 2 cores, which runs the
// files one after another while that worker waits on gcc and QEMU child processes. The work is
// in those children, so one worker more than there are CPUs keeps every core busy.
const WORKERS = availableParallelism() + 1;

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: WORKERS,
    // As many as the most: tinypool ends a worker that idles while others still run, and with
    // isolate off that termination rejects unhandled ("Terminating worker thread") and fails the run.
    minWorkers: WORKERS,
    // Worker processes are reused from file to file instead of a new one per file: loading src/
    // and the test's imports anew in each of ~75 files cost more CPU than most of the tests. The
    // host project also keeps its modules from file to file (below); module state in src/ is
    // caches keyed by content (kernel objects, tool versions, templates), so a file sees the same
    // behaviour as in a fresh process.
    poolOptions: { forks: { isolate: false } },
    projects: [
      { extends: true, test: { name: 'host', include: ['test/**/*.test.ts'], exclude: QEMU } },
      // QEMU files run their independent tests concurrently (describe.concurrent); at most this
      // many at once per file. Their modules are loaded afresh for each file (a few, long files).
      { extends: true, test: { name: 'qemu', include: QEMU, maxConcurrency: 4, testTimeout: 300_000, poolOptions: { forks: { isolate: true } } } },
    ],
  },
});
