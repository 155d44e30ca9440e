/** Worst-case stack from gcc's call-graph dumps: hand-made graphs, then a real dump from arm-none-eabi-gcc. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseCallGraph, worstStack } from '../../src/report/call-graph.ts';

const node = (name: string, bytes: number, kind = 'static') => `node: { title: "${name}" label: "${name}\\nx.c:1:1\\n${bytes} bytes (${kind})" }`;
const external = (name: string) => `node: { title: "${name}" label: "${name}\\n<built-in>" shape : ellipse }`;
const edge = (from: string, to: string) => `edge: { sourcename: "${from}" targetname: "${to}" }`;

describe('worst-case stack from a call graph', () => {
  it('takes the deepest path: run (16) -> a (40) -> c (100) beats run -> b (120)', () => {
    const graph = parseCallGraph([
      ['graph: { title: "x.c"', node('run', 16), node('a', 40), node('b', 120), edge('run', 'a'), edge('run', 'b'), external('memcpy'), edge('b', 'memcpy'), '}'].join('\n'),
      ['graph: { title: "y.c"', node('c', 100), edge('a', 'c'), '}'].join('\n'),
    ]);
    const use = worstStack(graph, 'run');
    // Hand derivation: run->a->c = 16 + 40 + 100 = 156; run->b = 16 + 120 = 136.
    expect(use.bytes).toBe(156);
    expect(use.path).toEqual([
      { name: 'run', frameBytes: 16 },
      { name: 'a', frameBytes: 40 },
      { name: 'c', frameBytes: 100 },
    ]);
    expect(use.unmeasured).toEqual(['memcpy']);
    expect(use.unbounded).toEqual([]);
  });

  it('says when the figure is not a bound: recursion, calls through pointers, dynamic frames', () => {
    const graph = parseCallGraph([
      [node('run', 8), node('f', 16, 'dynamic'), edge('run', 'f'), edge('f', 'run'), edge('run', '__indirect_call')].join('\n'),
    ]);
    const use = worstStack(graph, 'run');
    expect(use.bytes).toBe(24);
    expect(use.unbounded).toEqual(['a call through a function pointer', 'f has a dynamic frame', 'recursion through run']);
  });

  it('reads a real dump: the depth equals the -fstack-usage frames along the call chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinygen-ci-'));
    // noinline keeps the three frames apart; the arrays give them sizes gcc cannot shrink away.
    writeFileSync(
      join(dir, 'chain.c'),
      [
        '#include <string.h>',
        '__attribute__((noinline)) int leaf(const int *p) { volatile int buf[20]; memset((void *)buf, 0, sizeof buf); buf[p[0] & 7] = p[1]; return buf[3]; }',
        '__attribute__((noinline)) int middle(int x) { volatile int v[6] = { x, 1, 2, 3, 4, 5 }; int w[2] = { v[0], v[5] }; return leaf(w) + v[2]; }',
        'int top(int x) { volatile int t[3] = { x, x, x }; return middle(t[1]) + t[2]; }',
      ].join('\n'),
    );
    const o = join(dir, 'chain.o');
    await execa('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-O2', '-fstack-usage', '-fcallgraph-info=su', '-c', join(dir, 'chain.c'), '-o', o]);
    // The frames as -fstack-usage lists them (an independent file: "chain.c:2:30:leaf\t96\tstatic").
    const frames = new Map(
      readFileSync(join(dir, 'chain.su'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [where, bytes] = line.split('\t');
          return [where!.split(':').pop()!, Number(bytes)] as const;
        }),
    );
    const use = worstStack(parseCallGraph([readFileSync(join(dir, 'chain.ci'), 'utf8')]), 'top');
    expect(use.path.map((f) => f.name)).toEqual(['top', 'middle', 'leaf']);
    expect(use.bytes).toBe(frames.get('top')! + frames.get('middle')! + frames.get('leaf')!);
    expect(use.unmeasured).toEqual(['memset']);
    rmSync(dir, { recursive: true, force: true });
  });
});
