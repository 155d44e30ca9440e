/**
 * Runs `tinygen compile` on bad bytes and checks the contract: exit 2 and one line naming the
 * problem. In this process (main(), as bin/tinygen.js calls it): a new Node per model cost half a
 * second each; test/cli/ checks the same contract through the real executable.
 */
import { expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinygenInProcess } from './cli-in-process.ts';

export async function expectOneLineError(dir: string, file: string, bytes: Uint8Array | string, pattern: RegExp): Promise<void> {
  const path = join(dir, file);
  writeFileSync(path, bytes);
  const result = await tinygenInProcess(['compile', path, '-o', join(dir, `out-${file}`)]);
  expect(result.exitCode).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tinygen: error: /);
  expect(lines[0]).toMatch(pattern);
}
