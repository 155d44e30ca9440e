/**
 * The float pools' C against their reference on the host (ASan/UBSan), bit for bit: random 1-D,
 * 2-D and 3-D windows (pads, strides, dilations, auto_pad, ceil_mode, count_include_pad), the
 * global pools and ReduceMean in both axes forms, several cases per model so each build covers many.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.ts';
import { floatHostDiff } from './host-diff.ts';
import { branchesModel, int, randomPool, randomReduce, reduceBranch, reduceBranch13, type Branch } from './models.ts';

describe('float pools: host C equals the reference bit for bit', () => {
  it('AveragePool and MaxPool, 1-D to 3-D, random geometry', async () => {
    const rng = seededRandom(11);
    const branches: Branch[] = [];
    for (let i = 0; i < 14; i++) branches.push(randomPool(rng, 'AveragePool'), randomPool(rng, 'MaxPool'));
    // A window whose taps all fall in the padding (dilation 3 over an input of 2): +0, +0, -FLT_MAX.
    const empty = { kernel_shape: [2], dilations: [3], pads: [1, 1] };
    branches.push({ opType: 'AveragePool', shape: [1, 2, 2], attrs: empty });
    branches.push({ opType: 'AveragePool', shape: [1, 2, 2], attrs: { ...empty, count_include_pad: 1 } });
    branches.push({ opType: 'MaxPool', shape: [1, 2, 2], attrs: empty });
    const diff = await floatHostDiff(branchesModel(branches, 22), 3, 5);
    expect(diff.bytes).toBeGreaterThan(5_000);
    expect(diff).toEqual({ bytes: diff.bytes, mismatches: 0 });
  });

  it('GlobalAveragePool, GlobalMaxPool and ReduceMean (opset 18: axes input, noop_with_empty_axes)', async () => {
    const rng = seededRandom(12);
    const branches: Branch[] = [];
    for (let i = 0; i < 6; i++) {
      const shape = [int(rng, 1, 2), int(rng, 1, 4), ...Array.from({ length: int(rng, 1, 3) }, () => int(rng, 1, 7))];
      branches.push({ opType: 'GlobalAveragePool', shape, attrs: {} }, { opType: 'GlobalMaxPool', shape, attrs: {} });
    }
    for (let i = 0; i < 14; i++) branches.push(reduceBranch(randomReduce(rng)));
    branches.push(reduceBranch({ shape: [2, 3, 4], axes: [], keepdims: 1, noop: 1 }));
    branches.push(reduceBranch({ shape: [2, 3, 4], axes: [], keepdims: 0, noop: 0 }));
    const diff = await floatHostDiff(branchesModel(branches, 18), 3, 6);
    expect(diff.bytes).toBeGreaterThan(1_000);
    expect(diff).toEqual({ bytes: diff.bytes, mismatches: 0 });
  });

  it('ReduceMean with the axes attribute (opset 13)', async () => {
    const rng = seededRandom(13);
    const branches = Array.from({ length: 16 }, () => reduceBranch13(randomReduce(rng)));
    const diff = await floatHostDiff(branchesModel(branches, 13), 3, 7);
    expect(diff.bytes).toBeGreaterThan(500);
    expect(diff).toEqual({ bytes: diff.bytes, mismatches: 0 });
  });
});
