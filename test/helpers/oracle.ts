/**
 * Reference interpreter vs ONNX Runtime on random inputs: byte-identical in onnx mode; in tflite
 * mode the caller reads the off-by-one rate.
 */
import { compileModel } from '../../src/pipeline.ts';
import { runReference } from '../../src/reference/interpreter.ts';
import { randomInputs } from '../../src/validate/records.ts';
import { seededRandom } from '../../src/util/random.ts';
import type { RoundingMode } from '../../src/numerics/requantize.ts';
import { runOrt } from './ort.ts';

export interface OracleDiff {
  /** Output elements compared. */
  elements: number;
  /** Elements that differ at all. */
  mismatches: number;
  /** The largest absolute difference (in quantized units for integer outputs). */
  maxDiff: number;
  first?: { input: number; output: number; index: number; tinygen: number; ort: number };
}

export async function oracleDiff(modelPath: string, rounding: RoundingMode, inputs = 8, seed = 1): Promise<OracleDiff> {
  const compiled = compileModel({ modelPath, rounding });
  const random = seededRandom(seed);
  const diff: OracleDiff = { elements: 0, mismatches: 0, maxDiff: 0 };
  for (let n = 0; n < inputs; n++) {
    const values = randomInputs(compiled.graph, random);
    const ours = runReference(compiled.graph, values).outputs;
    const theirs = await runOrt(modelPath, compiled.graph.inputs, values);
    ours.forEach((out, o) => {
      const a = out.data as ArrayLike<number>;
      const b = theirs[o]!.data as ArrayLike<number>;
      if (a.length !== b.length) throw new Error(`output ${o}: tinygen has ${a.length} elements, ONNX Runtime ${b.length}`);
      for (let i = 0; i < a.length; i++) {
        diff.elements++;
        const d = Math.abs(a[i]! - b[i]!);
        if (d !== 0 || Object.is(a[i], b[i]) === false) {
          if (d === 0) continue; // +0 and -0
          diff.mismatches++;
          diff.maxDiff = Math.max(diff.maxDiff, d);
          diff.first ??= { input: n, output: o, index: i, tinygen: a[i]!, ort: b[i]! };
        }
      }
    });
  }
  return diff;
}
