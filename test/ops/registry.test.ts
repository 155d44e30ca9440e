/** Every operator folder is registered, and every registered op has all of its parts. */
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OPS } from '../../src/ops/registry.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

const OPS_DIR = join(PACKAGE_ROOT, 'src', 'ops');
const folders = readdirSync(OPS_DIR).filter((f) => f !== 'common' && statSync(join(OPS_DIR, f)).isDirectory());

describe('op registry', () => {
  it('registers the op of every folder under src/ops, and nothing else', async () => {
    const exported = [];
    for (const folder of folders) {
      const module = (await import(join(OPS_DIR, folder, 'index.ts'))) as Record<string, unknown>;
      const defs = Object.values(module).filter((v) => OPS.includes(v as (typeof OPS)[number]));
      // A folder may hold a family of ops sharing one kernel (e.g. float-elementwise: FloatAdd, FloatSub, ...).
      expect(defs.length, `src/ops/${folder}/index.ts exports no registered op`).toBeGreaterThan(0);
      exported.push(...defs);
    }
    expect(exported).toHaveLength(OPS.length);
  });

  for (const op of OPS) {
    it(`${op.op} has a definition, reference semantics and C emission`, () => {
      expect(op.summary.length).toBeGreaterThan(0);
      if (typeof op.layout !== 'function') expect(['spatial', 'any', 'logical']).toContain(op.layout);
      for (const part of ['infer', 'prepare', 'reference', 'emit'] as const) expect(typeof op[part]).toBe('function');
      if (op.layout === 'spatial') expect(typeof op.toNhwc === 'function' || op.op === 'MaxPool').toBe(true);
    });
  }
});
