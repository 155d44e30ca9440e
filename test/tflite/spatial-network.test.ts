/**
 * A DS-CNN-like TFLite network (conv, depthwise, pointwise, residual ADD, max and average pool,
 * FC): no transpose runs anywhere, the API keeps TFLite's NHWC shapes, and the host-compiled C
 * (ASan/UBSan) equals the reference interpreter on random inputs.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel, generate } from '../../src/pipeline.ts';
import { buildTflite } from '../helpers/tflite-builder.ts';
import { dsCnnLike, elementwiseChain } from '../helpers/tflite-networks.ts';
import { hostDiff } from '../helpers/host-diff.ts';

const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflite-net-'));
const path = join(dir, 'dscnn_like.tflite');
writeFileSync(path, buildTflite(dsCnnLike()));

describe('TFLite DS-CNN-like network', () => {
  const compiled = compileModel({ modelPath: path });

  it('lowers without a Transpose and keeps the NHWC API shapes', () => {
    expect(compiled.graph.nodes.filter((n) => n.op === 'Transpose')).toEqual([]);
    const generated = generate(compiled);
    const source = [...generated.files.values()].join('\n');
    expect(source).not.toMatch(/tg_transpose\s*\(/);
    expect(generated.inputs.map((t) => t.shape)).toEqual([[1, 10, 8, 1]]);
    expect(generated.outputs.map((t) => t.shape)).toEqual([[1, 4]]);
    const convs = compiled.graph.nodes.filter((n) => n.op === 'QLinearConv');
    expect(convs).toHaveLength(3);
    // The first conv reads the API input itself, in NHWC.
    expect(convs[0]!.inputs[0]).toBe(compiled.graph.inputs[0]);
  });

  it('host C equals the reference on 24 random inputs', async () => {
    const diff = await hostDiff(path, 'tflite', 24, 3);
    expect(diff.bytes).toBe(24 * 4);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  }, 120_000);

  it('host C equals the reference in onnx rounding too', async () => {
    const diff = await hostDiff(path, 'onnx', 8, 5);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  }, 120_000);
});

describe('TFLite elementwise and data-movement chain (dilated conv, PAD, pool, MUL, RELU6, CONCATENATION, MEAN, TRANSPOSE)', () => {
  const chainPath = join(dir, 'chain.tflite');
  writeFileSync(chainPath, buildTflite(elementwiseChain()));

  it('runs no transpose: only the model\'s own TRANSPOSE is left, which moves size-1 axes and is a view', () => {
    const compiled = compileModel({ modelPath: chainPath });
    expect(compiled.graph.nodes.filter((n) => n.op === 'Transpose')).toHaveLength(1);
    expect([...generate(compiled).files.values()].join('\n')).not.toMatch(/tg_transpose\s*\(/);
  });

  it('host C equals the reference on 24 random inputs', async () => {
    const diff = await hostDiff(chainPath, 'tflite', 24, 4);
    expect(diff.bytes).toBe(24 * 8);
    expect(diff.mismatches, JSON.stringify(diff.first)).toBe(0);
  }, 120_000);
});
