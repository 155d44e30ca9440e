/**
 * Inputs and outputs in the arena (--io arena): the generated API (accessors and a run without
 * arguments), bit-exact C on the host (ASan/UBSan) against the reference, and the report's model
 * RAM, which counts the caller's buffers only when they exist.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, generate } from '../../src/pipeline.ts';
import { buildReport } from '../../src/report/report.ts';
import { hostDiff } from '../helpers/host-diff.ts';
import { MODELS } from '../helpers/paths.ts';
import { twoInTwoOut } from '../networks/two-in-two-out.ts';
import { tinygen } from '../helpers/cli.ts';

const TINY = join(MODELS, 'tiny_cnn_qop.onnx');

describe('--io arena', () => {
  it('declares accessors into the arena and a run without arguments', () => {
    const generated = generate(compileModel({ modelPath: TINY, io: 'arena' }));
    const header = generated.files.get('tiny_cnn_qop.h')!;
    expect(header).toContain('void *tiny_cnn_qop_input(int index);');
    expect(header).toContain('const void *tiny_cnn_qop_output(int index);');
    expect(header).toContain('int tiny_cnn_qop_run(void);');
    const source = generated.files.get('tiny_cnn_qop.c')!;
    expect(source).toMatch(/int tiny_cnn_qop_run\(void\)\n\{/);
    // Each accessor returns its tensor's place in the arena, and NULL past the last index.
    expect(source).toMatch(/case 0:\n\s+return &tiny_cnn_qop_arena\[\d+\];\n\s+default:\n\s+return NULL;/);
    // The caller's API is unchanged by default.
    const caller = generate(compileModel({ modelPath: TINY })).files.get('tiny_cnn_qop.h')!;
    expect(caller).toContain('int tiny_cnn_qop_run(const int8_t *input, int8_t *output);');
    expect(caller).not.toContain('tiny_cnn_qop_input(');
  });

  it('computes the reference bytes on the host: one and two inputs and outputs, int8 and uint8, both rounding modes', async () => {
    for (const model of [TINY, join(MODELS, 'tiny_cnn_u8_qop.onnx'), twoInTwoOut()]) {
      for (const rounding of ['onnx', 'tflite'] as const) {
        const diff = await hostDiff(model, rounding, 4, 7, { io: 'arena' });
        expect(diff.mismatches, `${model} ${rounding}: ${JSON.stringify(diff.first)}`).toBe(0);
        expect(diff.bytes).toBeGreaterThan(0);
      }
    }
  });

  it("counts the caller's buffers in the model RAM, and the largest tensor", () => {
    const caller = compileModel({ modelPath: TINY });
    const arena = compileModel({ modelPath: TINY, io: 'arena' });
    const callerReport = buildReport(caller, generate(caller));
    const arenaReport = buildReport(arena, generate(arena));
    // tiny_cnn: a 16x16x1 int8 input (256 B) and 6 int8 logits beside a 1,280 B arena.
    expect(callerReport).toMatchObject({ io: 'caller', arenaBytes: 1280, apiBufferBytes: 262, modelRamBytes: 1542 });
    // In the arena, with every layer apart (--optimize time), conv 1's input, output and patch
    // (256 + 1,024 + 24 B) are the peak.
    const apart = compileModel({ modelPath: TINY, io: 'arena', optimize: 'time' });
    expect(buildReport(apart, generate(apart))).toMatchObject({ io: 'arena', arenaBytes: 1304, apiBufferBytes: 0, modelRamBytes: 1304 });
    // By default conv 1 runs in place over its input (the input in the last 256 B of its output's
    // 1,024, with a patch of 24 B and a ring of one 64 B output row): 1,112 B; the peak is then max
    // pool 1, with conv 1's output and its own (1,024 + 256 B), as with the input at the caller.
    expect(arenaReport).toMatchObject({ io: 'arena', arenaBytes: 1280, apiBufferBytes: 0, modelRamBytes: 1280 });
    expect(arenaReport.layers[1]).toMatchObject({ op: 'QLinearConv', sharing: 'in place', liveBytes: 1024 + 24 + 64 });
    // The largest activation: conv 1's 16x16x4 output.
    expect(arenaReport.largestTensorBytes).toBe(1024);
  });

  it('is an option of compile, and a bad value is refused with one line and exit 2', async () => {
    const bad = await tinygen(['compile', TINY, '-o', '/tmp/never-written', '--io', 'heap']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/--io|io/);
  });
});
