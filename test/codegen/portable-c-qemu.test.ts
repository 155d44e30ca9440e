/**
 * The generated C builds in a user's project whatever the language settings: the model's C and
 * the kernel library clean under C99 with -pedantic -Wconversion, the model's C also as C++11, and
 * its header (the quantization macros included) from C++11. MLPerf Tiny's four networks (TFLite)
 * and an ONNX network in onnx rounding (float constants in the C), on a DSP core (M4F), an MVE
 * core (M55) and a core with neither (M0).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/boards/board.ts';
import { cpuFlags } from '../../src/toolchain/flags.ts';
import { KERNELS_DIR, kernelSources, objectLibrary } from '../../src/toolchain/object-cache.ts';
import { GCC } from '../../src/toolchain/tools.ts';
import { tinygen } from '../helpers/cli.ts';
import { buildNetwork } from '../helpers/networks.ts';
import { MLPERF_TINY_NETWORKS, writeMlperfTinyNetwork, type MlperfTinyNetwork } from '../helpers/tflite-networks.ts';

const GXX = 'arm-none-eabi-g++';
const STRICT = ['-O2', '-Wall', '-Wextra', '-Wconversion', '-pedantic', '-Werror', '-ffp-contract=off'];
const C99 = ['-std=c99', ...STRICT];
const CXX11 = ['-x', 'c++', '-std=c++11', ...STRICT];
const BOARDS = ['mps2-an386', 'mps3-an547', 'microbit'] as const;

describe.concurrent('generated C under C99 -pedantic and C++11', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-portable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(BOARDS)('the kernel library is clean C99 with -pedantic -Wconversion for %s', async (id) => {
    const flags = [...cpuFlags(loadBoard(id)), ...C99];
    const library = await objectLibrary({ compiler: GCC, flags, sources: kernelSources(), includeDirs: [KERNELS_DIR] });
    expect(library.objects.length).toBe(kernelSources().length);
  });

  const models: { label: string; path: () => string }[] = [
    ...(Object.keys(MLPERF_TINY_NETWORKS) as MlperfTinyNetwork[]).map((n) => ({ label: `MLPerf Tiny ${n}`, path: () => writeMlperfTinyNetwork(n, dir) })),
    { label: 'kws_dscnn (ONNX QOperator, uint8, float scales in onnx rounding)', path: () => buildNetwork('kws_dscnn', 'qop', 'uint8') },
  ];
  for (const { label, path } of models) {
    it(`${label}: model C as C99 and C++11, header from C++11, on the M4F, M55 and M0`, async () => {
      const out = join(dir, label.replace(/\W+/g, '_'));
      const compile = await tinygen(['compile', path(), '-o', out, '--name', 'net']);
      expect(compile.exitCode, compile.stderr).toBe(0);
      const header = readFileSync(join(out, 'net.h'), 'utf8');
      // A C++ file that includes the header and reads every macro it defines: shapes as array
      // initializers, the rest (sizes, scales, zero points) as numbers.
      const macros = [...header.matchAll(/^#define (NET_\w+) (.+)$/gm)].map((m) => ({ name: m[1]!, shape: m[2]!.startsWith('{') }));
      expect(macros.some((m) => m.name.endsWith('_SCALE')) && macros.some((m) => m.shape)).toBe(true);
      const shapes = macros.filter((m) => m.shape).map((m, i) => `static const long shape_${i}[] = ${m.name};`);
      const numbers = macros.filter((m) => !m.shape).map((m) => ` + (double)(${m.name})`);
      const user = join(out, 'user.cpp');
      writeFileSync(user, ['#include "net.h"', '', ...shapes, '', 'double net_constants(void);', 'double net_constants(void)', '{', `    return 0.0${numbers.join('')}${shapes.map((_, i) => ` + (double)shape_${i}[0]`).join('')};`, '}', ''].join('\n'));
      const includeDirs = [out, join(out, 'tinygen')];
      for (const id of BOARDS) {
        const cpu = cpuFlags(loadBoard(id));
        for (const [compiler, flags, source] of [
          [GCC, C99, 'net.c'],
          [GXX, CXX11, 'net.c'],
          [GXX, CXX11, 'user.cpp'],
        ] as const) {
          await objectLibrary({ compiler, flags: [...cpu, ...flags], sources: [join(out, source)], includeDirs }).catch((error: Error) => {
            throw new Error(`${label} on ${id}, ${flags.join(' ')}: ${error.message}`);
          });
        }
      }
    });
  }
});
