import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARNESS_MAIN } from '../../src/toolchain/build.ts';
import { describeExitStatus, HARNESS_EXIT, parseHarnessStdout } from '../../src/toolchain/harness.ts';

describe('harness protocol', () => {
  it('has the exit statuses of firmware/harness/main.c', () => {
    const source = readFileSync(HARNESS_MAIN, 'utf8');
    const inC = Object.fromEntries([...source.matchAll(/HARNESS_EXIT_([A-Z_]+) = (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(Object.fromEntries(Object.entries(inC).map(([k, v]) => [camel(k), v]))).toEqual(HARNESS_EXIT);
    expect(path.basename(HARNESS_MAIN)).toBe('main.c');
  });

  it('describes exit statuses', () => {
    expect(describeExitStatus(0)).toBe('success');
    expect(describeExitStatus(5)).toBe('the input file ends inside a record');
    expect(describeExitStatus(106)).toBe('fault: UsageFault');
    expect(describeExitStatus(null)).toContain('killed');
    expect(describeExitStatus(42)).toBe('exit status 42');
  });

  it('parses the tick lines', () => {
    const report = parseHarnessStdout('tinygen: inference 0 ticks 12\ntinygen: inference 1 ticks 7\ntinygen: done inferences 2\n');
    expect(report).toEqual({ ticks: [12, 7], done: 2, layerTicks: [], stackBytes: [] });
    expect(parseHarnessStdout('tinygen: inference 0 ticks 3\n')).toMatchObject({ ticks: [3], done: undefined });
  });

  it('parses the profile lines (per-layer ticks and stack), per inference', () => {
    const report = parseHarnessStdout(
      [
        'tinygen: inference 0 ticks 30',
        'tinygen: inference 0 layer 1 ticks 20',
        'tinygen: inference 0 layer 3 ticks 10',
        'tinygen: inference 0 stack 144',
        'tinygen: inference 1 ticks 31\r',
        'tinygen: inference 1 layer 1 ticks 21\r',
        'tinygen: inference 1 stack 148\r',
        'tinygen: done inferences 2',
      ].join('\n'),
    );
    expect(report.ticks).toEqual([30, 31]);
    expect(report.layerTicks).toEqual([
      [{ layer: 1, ticks: 20 }, { layer: 3, ticks: 10 }],
      [{ layer: 1, ticks: 21 }],
    ]);
    expect(report.stackBytes).toEqual([144, 148]);
  });
});
