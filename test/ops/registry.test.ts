/**
 * Every operator folder is registered, and every registered op is complete: it emits a call to a
 * C kernel that the kernel library declares, and a test file exercises it. Adding an op without
 * either fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OPS } from '../../src/ops/registry.ts';
import type { RegisteredOp } from '../../src/ops/op.ts';
import { PACKAGE_ROOT } from '../../src/version.ts';

const OPS_DIR = join(PACKAGE_ROOT, 'src', 'ops');
const folders = readdirSync(OPS_DIR).filter((f) => f !== 'common' && f !== 'TEMPLATE' && statSync(join(OPS_DIR, f)).isDirectory());

/** The op's folder: the one whose index.ts exports it. */
const folderOf = new Map<RegisteredOp, string>();
for (const folder of folders) {
  const module = (await import(join(OPS_DIR, folder, 'index.ts'))) as Record<string, unknown>;
  for (const value of Object.values(module)) if (OPS.includes(value as RegisteredOp)) folderOf.set(value as RegisteredOp, folder);
}

/** The kernel functions the library declares. */
const header = readFileSync(join(PACKAGE_ROOT, 'firmware', 'kernels', 'tinygen_kernels.h'), 'utf8');
const declared = new Set([...header.matchAll(/\b(tg_\w+)\s*\(/g)].map((m) => m[1]!));

/** The source of the op's folder and of the files under src/ops it imports, where its emit lives. */
function emitSources(folder: string): string {
  const dir = join(OPS_DIR, folder);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const imported = new Set(texts.flatMap((text, i) => [...text.matchAll(/from '(\.\.\/[\w-]+\/[\w-]+\.ts)'/g)].map((m) => resolve(dirname(files[i]!), m[1]!))));
  return [...texts, ...[...imported].map((f) => readFileSync(f, 'utf8'))].join('\n');
}

/** A kernel name in the emit source, or the fixed part of one built from a template (`tg_tflite_${fn}_s8`), that the library declares. */
const declares = (name: string) => declared.has(name) || (name.endsWith('_') && [...declared].some((d) => d.startsWith(name)));

/** Every test source, for the ops they mention by name. */
function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return f === 'fixtures' ? [] : testSources(path);
    return path.endsWith('.ts') && path !== import.meta.filename ? [readFileSync(path, 'utf8')] : [];
  });
}
const tests = testSources(join(PACKAGE_ROOT, 'test'));

describe('op registry', () => {
  it('registers the op of every folder under src/ops, and nothing else', () => {
    for (const folder of folders) expect([...folderOf.values()], `src/ops/${folder}/index.ts exports no registered op`).toContain(folder);
    expect(folderOf.size).toBe(OPS.length);
    expect(new Set(OPS.map((op) => op.op)).size, 'op names are unique').toBe(OPS.length);
  });

  for (const op of OPS) {
    it(`${op.op} emits a C kernel the library declares`, () => {
      const called = [...new Set([...emitSources(folderOf.get(op)!).matchAll(/\b(tg_\w+)\b/g)].map((m) => m[1]!))];
      // A view (Reshape, Flatten, ...) emits nothing when it aliases its input, and a requantizing copy otherwise.
      expect(
        called.filter(declares),
        `src/ops/${folderOf.get(op)}: no tg_ function declared in firmware/kernels/tinygen_kernels.h (names found: ${called.join(', ') || 'none'})`,
      ).not.toEqual([]);
    });

    it(`${op.op} has a differential test`, () => {
      // The IR op by name ('QLinearConv', 'TFLiteSoftmax', ...) in a test or a test helper; a float
      // op (FloatSub, ...) is tested as the ONNX op it is named after ('Sub' on float tensors).
      const names = [op.op, ...(op.op.startsWith('Float') ? [op.op.slice('Float'.length)] : [])];
      const mention = new RegExp(`['"\`](${names.join('|')})['"\`]`);
      expect(tests.some((text) => mention.test(text)), `no file under test/ names '${names.join("' or '")}'`).toBe(true);
    });
  }
});
