import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects (`npm run test:host`, `npm run test:qemu`; `npm test` runs both):
 * - qemu: every file named `*-qemu.test.ts`, the tests that build firmware with arm-none-eabi-gcc
 *   or run it under QEMU. A test of that kind goes in such a file (split a file that mixes both).
 * - host: everything else, TypeScript and host-compiled C.
 */
const QEMU = ['test/**/*-qemu.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // vitest's default is one worker per CPU less one: a single worker on 2 cores, which runs the
    // files one after another while that worker waits on gcc and QEMU child processes. The work is
    // in those children, so one worker more than there are CPUs keeps every core busy.
    maxWorkers: availableParallelism() + 1,
    minWorkers: 1,
    projects: [
      { extends: true, test: { name: 'host', include: ['test/**/*.test.ts'], exclude: QEMU } },
      // QEMU files run their independent tests concurrently (describe.concurrent); at most this
      // many at once per file.
      { extends: true, test: { name: 'qemu', include: QEMU, maxConcurrency: 4, testTimeout: 300_000 } },
    ],
  },
});
