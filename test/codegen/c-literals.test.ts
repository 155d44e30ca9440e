/**
 * Float constants in generated C are decimal (C++ before C++17 has no hexadecimal floats) and
 * must still read back as the very bits tinygen computed. The compilers are the oracle: a C99 and
 * a C++11 program print the bits of each literal, for random bit patterns over the whole float32
 * range (subnormals included) and the edge values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cFloat, NonFiniteConstantError } from '../../src/codegen/c-literals.ts';
import { seededRandom } from '../../src/util/random.ts';

const bitsOf = (value: number) => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
};
const fromBits = (bits: number) => {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits);
  return view.getFloat32(0);
};

describe('cFloat', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-literals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const random = seededRandom(20261207);
  const edges = [0x00000001, 0x007fffff, 0x00800000, 0x3f800000, 0x3f800001, 0x3dcccccd, 0x4b800001, 0x7f7fffff, 0x80000000, 0x80000001, 0xff7fffff, 0x33800000, 0x34000000];
  const patterns = [...edges, ...Array.from({ length: 3000 }, () => Math.floor(random() * 2 ** 32))].filter((bits) => ((bits >>> 23) & 0xff) !== 0xff);
  const values = patterns.map(fromBits);

  it('spells every finite float32 so that C99 and C++11 read back its bits', async () => {
    const table = values.map((v) => `    ${cFloat(v)},`).join('\n');
    const program = [
      '#include <stdio.h>',
      '#include <string.h>',
      '#include <stdint.h>',
      'static const float values[] = {',
      table,
      '};',
      'int main(void)',
      '{',
      '    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {',
      '        uint32_t bits;',
      '        memcpy(&bits, &values[i], 4);',
      '        printf("%08lx\\n", (unsigned long)bits);',
      '    }',
      '    return 0;',
      '}',
      '',
    ].join('\n');
    const expected = patterns.map((bits) => bits.toString(16).padStart(8, '0')).join('\n');
    for (const [compiler, flags, file] of [
      ['gcc', ['-std=c99', '-pedantic', '-Werror'], 'literals.c'],
      ['g++', ['-std=c++11', '-pedantic', '-Werror'], 'literals.cpp'],
    ] as const) {
      writeFileSync(join(dir, file), program);
      await execa(compiler, [...flags, join(dir, file), '-o', join(dir, `${file}.exe`)]);
      const { stdout } = await execa(join(dir, `${file}.exe`));
      expect(stdout.trim(), compiler).toBe(expected);
    }
  });

  it('writes plain decimal (no hexadecimal float), and refuses what no float can hold', () => {
    // A fraction or an exponent: '1f' would not be a float literal.
    for (const v of values) expect(cFloat(v)).toMatch(/^-?\d+(\.\d+(e[+-]\d+)?|e[+-]\d+)f$/);
    expect(cFloat(0.1)).toBe('0.10000000149011612f');
    expect(cFloat(1)).toBe('1.0f');
    expect(cFloat(-0)).toBe('-0.0f');
    expect(bitsOf(Number.parseFloat(cFloat(1e-45)))).toBe(1);
    expect(() => cFloat(1e39)).toThrow(NonFiniteConstantError);
    expect(() => cFloat(Number.NaN)).toThrow(NonFiniteConstantError);
  });
});
