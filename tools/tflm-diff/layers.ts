/**
 * Where a differing case first parts from TFLM: the case rebuilt with every operator's output as
 * a graph output, run through both sides, and the first operator whose output differs named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTflite } from '../../test/helpers/tflite-builder.ts';
import { TensorType } from '../../src/frontend/tflite/schema.ts';
import type { GeneratedCase } from './generate.ts';
import { runTflm, runTinygen } from './sides.ts';

/** Bytes of tensor `index` in the spec (every operator output is int8, int16 or float32). */
function tensorBytes(c: GeneratedCase, index: number): number {
  const t = c.spec.tensors[index]!;
  const size = t.type === TensorType.INT8 ? 1 : t.type === TensorType.INT16 ? 2 : 4;
  return t.shape.reduce((a, b) => a * b, 1) * size;
}

/** "operator k (LABEL), element e: TFLM a, tinygen b", or why it could not tell. */
export async function firstDivergingLayer(c: GeneratedCase, oracle: string, input: Uint8Array, records: number): Promise<string> {
  const outputs = c.spec.operators.map((op) => op.outputs[0]!);
  const dir = mkdtempSync(join(tmpdir(), 'tinygen-tflm-layers-'));
  try {
    const modelPath = join(dir, 'layers.tflite');
    writeFileSync(modelPath, buildTflite({ ...c.spec, outputs }));
    writeFileSync(join(dir, 'input.bin'), input);
    const [tflm, tinygen] = [await runTflm(oracle, modelPath, join(dir, 'input.bin'), join(dir, 'out.bin')), await runTinygen(modelPath, input, records)];
    if (tflm.kind !== 'ran' || tinygen.kind !== 'ran') return 'with every layer as an output, one side no longer runs';
    const sizes = outputs.map((index) => tensorBytes(c, index));
    const recordBytes = sizes.reduce((a, b) => a + b, 0);
    for (let r = 0; r < records; r++) {
      let offset = r * recordBytes;
      for (const [k, size] of sizes.entries()) {
        const theirs = tflm.output.subarray(offset, offset + size);
        const ours = tinygen.output.subarray(offset, offset + size);
        const at = theirs.findIndex((b, i) => b !== ours[i]);
        if (at >= 0) return `first at operator ${k} (${c.ops[k]}), record ${r}, byte ${at}: TFLM ${theirs[at]}, tinygen ${ours[at]}`;
        offset += size;
      }
    }
    return 'with every layer as an output, no layer differs';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
