/**
 * The on-disk object cache across processes: test workers, the CLIs they spawn and parallel
 * builds ask for the same library at once on a cold cache, and one of them compiles it while the
 * others wait for it; a lock left by a process that died does not stop the next build; a model's
 * source compiles again when it or a header it may include changes, and only then. A fake
 * compiler logs each compile, so the count is observed, not inferred.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../../src/version.ts';

function setUp(includeDirs: string[] = []): { dir: string; log: string; child: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-cache-test-'));
  const log = join(dir, 'compiles.log');
  const compiler = join(dir, 'fakecc');
  // Logs each compile and writes its object after a pause, so that concurrent builds overlap.
  writeFileSync(
    compiler,
    ['#!/bin/sh', 'if [ "$1" = "--version" ]; then echo "fakecc 1"; exit 0; fi', 'out=""', 'while [ $# -gt 0 ]; do if [ "$1" = "-o" ]; then out="$2"; fi; shift; done', 'sleep 0.3', `echo "$out" >> ${log}`, 'echo object > "$out"', ''].join('\n'),
  );
  chmodSync(compiler, 0o755);
  const sources = ['a.c', 'b.c', 'c.c'].map((name) => {
    writeFileSync(join(dir, name), `int ${name[0]}(void) { return 0; }\n`);
    return join(dir, name);
  });
  const child = join(dir, 'build.mts');
  writeFileSync(
    child,
    [
      `import { objectLibrary } from ${JSON.stringify(join(PACKAGE_ROOT, 'src', 'toolchain', 'object-cache.ts'))};`,
      `const library = await objectLibrary({ compiler: ${JSON.stringify(compiler)}, flags: ['-O2'], sources: ${JSON.stringify(sources)}, includeDirs: ${JSON.stringify(includeDirs.map((d) => join(dir, d)))} });`,
      'console.log(library.dir);',
      '',
    ].join('\n'),
  );
  return { dir, log, child, cache: join(dir, 'cache') };
}

const build = (child: string, cache: string) => execa(process.execPath, ['--import', 'tsx', child], { env: { TINYGEN_CACHE: cache }, cwd: PACKAGE_ROOT });
const compiles = (log: string) => readFileSync(log, 'utf8').trim().split('\n').length;

describe('the library cache across processes', () => {
  it('compiles a library once when three processes ask for it at once, and all three get it', async () => {
    const { log, child, cache } = setUp();
    const results = await Promise.all([build(child, cache), build(child, cache), build(child, cache)]);
    expect(new Set(results.map((r) => r.stdout.trim())).size).toBe(1);
    expect(compiles(log)).toBe(3);
    expect(readdirSync(cache).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('builds past a lock left by a process that has died', async () => {
    const { log, child, cache } = setUp();
    const first = await build(child, join(cache, 'elsewhere'));
    const key = first.stdout.trim().split('/').at(-1)!;
    const dead = await execa('sh', ['-c', 'echo $$']);
    writeFileSync(join(cache, `.lock-${key}`), dead.stdout.trim(), { flag: 'w' });
    const second = await build(child, cache);
    expect(second.stdout.trim()).toBe(join(cache, key));
    expect(compiles(log)).toBe(6);
  });

  it('within one process, a library pruned after its first use is built again, and each use touches it', async () => {
    const { dir, log, cache } = setUp();
    const compiler = join(dir, 'fakecc');
    const sources = ['a.c', 'b.c', 'c.c'].map((name) => join(dir, name));
    const child = join(dir, 'twice.mts');
    writeFileSync(
      child,
      [
        `import { rmSync, statSync, utimesSync, existsSync } from 'node:fs';`,
        `import { objectLibrary } from ${JSON.stringify(join(PACKAGE_ROOT, 'src', 'toolchain', 'object-cache.ts'))};`,
        `const request = { compiler: ${JSON.stringify(compiler)}, flags: ['-O2'], sources: ${JSON.stringify(sources)}, includeDirs: [] };`,
        'const first = await objectLibrary(request);',
        // An old last use, as the pruning sees it: a second use must renew it.
        'utimesSync(first.dir, new Date(1000), new Date(1000));',
        'await objectLibrary(request);',
        'const touched = statSync(first.dir).mtimeMs > 1000;',
        // What a prune by another process does: the entry disappears under this one.
        'rmSync(first.dir, { recursive: true, force: true });',
        'const again = await objectLibrary(request);',
        'console.log(JSON.stringify({ touched, same: again.dir === first.dir, objects: again.objects.every((o) => existsSync(o)) }));',
        '',
      ].join('\n'),
    );
    const result = await build(child, cache);
    expect(JSON.parse(result.stdout.trim())).toEqual({ touched: true, same: true, objects: true });
    expect(compiles(log)).toBe(6);
  });

  it("compiles a source again when a header in its include folders changes, not when another file there does", async () => {
    const { dir, log, child, cache } = setUp(['.', 'inc']);
    mkdirSync(join(dir, 'inc'));
    writeFileSync(join(dir, 'model.h'), '#define N 1\n');
    writeFileSync(join(dir, 'inc', 'kernels.h'), '#define K 1\n');
    const first = (await build(child, cache)).stdout.trim();
    expect(compiles(log)).toBe(3);
    // A validate work folder gains records and firmware beside the sources: no header, same objects.
    writeFileSync(join(dir, 'inputs.bin'), 'records');
    mkdirSync(join(dir, 'obj'));
    writeFileSync(join(dir, 'obj', 'old.o'), 'object');
    expect((await build(child, cache)).stdout.trim()).toBe(first);
    expect(compiles(log)).toBe(3);
    writeFileSync(join(dir, 'inc', 'kernels.h'), '#define K 2\n');
    const second = (await build(child, cache)).stdout.trim();
    expect(second).not.toBe(first);
    expect(compiles(log)).toBe(6);
    mkdirSync(join(dir, 'tinygen'));
    writeFileSync(join(dir, 'tinygen', 'tg_kernel.h'), '#define T 1\n');
    expect((await build(child, cache)).stdout.trim()).not.toBe(second);
    expect(compiles(log)).toBe(9);
  });
});
