/** Runs `tinygen compile` on bad bytes and checks the contract: exit 2 and one line naming the problem. */
import { expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tinygen } from './cli.ts';

export async function expectOneLineError(dir: string, file: string, bytes: Uint8Array | string, pattern: RegExp): Promise<void> {
  const path = join(dir, file);
  writeFileSync(path, bytes);
  const result = await tinygen(['compile', path, '-o', join(dir, `out-${file}`)]);
  expect(result.exitCode).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tinygen: error: /);
  expect(lines[0]).toMatch(pattern);
}
