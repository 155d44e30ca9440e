/**
 * tinygen bench under QEMU -icount: deterministic, self-consistent (the layers add up to the
 * profiled total), bit-exact, and the stack it measures on the board matches the call graph.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bench } from '../../src/bench/bench.ts';
import { tinygen } from '../helpers/cli.ts';
import { MODELS } from '../helpers/paths.ts';

const TINY = join(MODELS, 'tiny_cnn_qop.onnx');

describe.concurrent('tinygen bench', () => {
  it('gives the same count twice, layers that add up, and a measured stack that matches the call graph', async () => {
    const [first, second] = await Promise.all([
      bench({ modelPath: TINY, board: 'mps2-an386', rounding: 'tflite' }),
      bench({ modelPath: TINY, board: 'mps2-an386', rounding: 'tflite' }),
    ]);
    expect(first.bitExact).toBe(true);
    expect(second.instructions).toBe(first.instructions);
    expect(second.layers).toEqual(first.layers);

    // One SysTick tick is 1e9 / 25 MHz = 40 instructions on MPS2.
    expect(first.instructionsPerTick).toBe(40);
    expect(first.instructions % 40).toBe(0);
    expect(first.macs).toBe(28416);
    expect(first.instructionsPerMac).toBeCloseTo(first.instructions / 28416, 10);

    // The layers' readings cover the profiled run function back to back, from its first line to its
    // last layer; what is left of the profiled total is the adapter's copies of 256 input and 6
    // output bytes and the calls: positive, and a few hundred instructions at most.
    const layerSum = first.layers.reduce((s, l) => s + l.instructions, 0);
    const outsideLayers = first.instructions + first.profileOverheadInstructions - layerSum;
    expect(outsideLayers).toBeGreaterThan(0);
    expect(outsideLayers).toBeLessThan(400);
    // Views run no code and get no reading; convolutions dominate.
    expect(first.layers.find((l) => l.op === 'Flatten')!.instructions).toBe(0);
    const convs = first.layers.filter((l) => l.op === 'QLinearConv').reduce((s, l) => s + l.instructions, 0);
    expect(convs / layerSum).toBeGreaterThan(0.5);

    // Integer-only on a Cortex-M4F: nothing outside the call graph but newlib's memcpy and memset;
    // the painted stack also holds the harness adapter's frame that calls the model (harness_run
    // pushes 4 registers: 16 bytes), and at most 32 bytes those library routines push.
    expect(first.report.stack!.unmeasured).toContain('memcpy');
    expect(first.report.stack!.unmeasured.filter((f) => f !== 'memcpy' && f !== 'memset')).toEqual([]);
    // The call graph is an upper bound (a frame's reserved bytes need not all be written), and a
    // close one: the painted stack is at most the bound and no more than 64 bytes under it.
    const bound = first.report.stack!.bytes + 16 + 32;
    expect(first.measuredStackBytes).toBeLessThanOrEqual(bound);
    expect(first.measuredStackBytes).toBeGreaterThanOrEqual(bound - 32 - 64);
  });

  it('counts instructions it is told about: a loop of 2 x 5,000 instructions added to one layer shows there, and only there', async () => {
    // Independent of tinygen's arithmetic: "subs; bne" run 5,000 times is 10,000 instructions
    // (plus the one that loads the count), so under -icount layer 3 must grow by that much, to
    // within the two SysTick readings that bound it (2 x 40), and no other layer may move by more
    // than one tick.
    const loop = '{ uint32_t spins = 5000u; __asm__ volatile("1: subs %0, %0, #1\\n\\tbne 1b" : "+r"(spins) : : "cc"); }';
    const addLoop = (files: Map<string, string>) => {
      for (const [name, text] of files) if (name.endsWith('.c') && name !== 'harness_model.c') files.set(name, text.replace('TG_LAYER_DONE(3);', `${loop}\n    TG_LAYER_DONE(3);`));
    };
    const [base, looped] = await Promise.all([
      bench({ modelPath: TINY, board: 'mps2-an386', rounding: 'tflite' }),
      bench({ modelPath: TINY, board: 'mps2-an386', rounding: 'tflite', mutateSources: addLoop }),
    ]);
    expect(looped.bitExact).toBe(true);
    for (const [i, layer] of looped.layers.entries()) {
      const grew = layer.instructions - base.layers[i]!.instructions;
      if (i === 3) expect(Math.abs(grew - 10_001), `layer 3 grew by ${grew}`).toBeLessThanOrEqual(80);
      else expect(Math.abs(grew), `layer ${i} moved by ${grew}`).toBeLessThanOrEqual(40);
    }
    expect(Math.abs(looped.instructions - base.instructions - 10_001)).toBeLessThanOrEqual(80);
  });

  it('reports a hung firmware as a failure, not as figures', async () => {
    const hang = (files: Map<string, string>) => {
      for (const [name, text] of files) if (name.endsWith('.c') && name !== 'harness_model.c') files.set(name, text.replace('TG_LAYER_DONE(3);', 'for (;;) { __asm__ volatile(""); }'));
    };
    const result = await bench({ modelPath: TINY, board: 'mps2-an386', mutateSources: hang, timeoutMs: 3000 });
    expect(result.failure).toMatch(/did not finish/);
    expect(result.bitExact).toBe(false);
  });

  it('prints JSON with the documented fields, and refuses a board without QEMU', async () => {
    const json = await tinygen(['bench', join(MODELS, 'tiny_cnn_u8_qop.onnx'), '--board', 'mps3-an547', '--json']);
    expect(json.exitCode).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    for (const field of ['instructions', 'macs', 'instructionsPerMac', 'flashBytes', 'ramBytes']) expect(typeof result[field], field).toBe('number');
    // AN547 runs at 32 MHz: 31.25 instructions per tick.
    expect(result.instructionsPerTick).toBe(31.25);
    expect(Array.isArray(result.layers)).toBe(true);

    const buildOnly = await tinygen(['bench', TINY, '--board', 'stm32f746-disco']);
    expect(buildOnly.exitCode).toBe(2);
    expect(buildOnly.stderr.trim().split('\n')).toHaveLength(1);
    expect(buildOnly.stderr).toContain('QEMU');
  });
});
