/** src has no import cycles (`npx madge --circular --extensions ts src`), type-only imports included. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import madge from 'madge';
import { PACKAGE_ROOT } from '../../src/version.ts';

describe('layering', () => {
  it('src has no import cycles', async () => {
    const result = await madge(join(PACKAGE_ROOT, 'src'), {
      fileExtensions: ['ts'],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    // Every relative import resolved: an unresolved one would hide its edges from the check.
    expect(result.warnings().skipped).toEqual([]);
    expect(Object.keys(result.obj()).length).toBeGreaterThan(200);
    expect(result.circular().map((cycle) => cycle.join(' > '))).toEqual([]);
  });
});
