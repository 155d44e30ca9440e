/**
 * DequantizeLinear → Gemm → QuantizeLinear becomes QGemm (see OnnxImport 'qdq' in src/frontend/onnx/import-context.ts),
 * under the conditions on which ONNX Runtime 1.30 makes the same fusion (its BiasQuantization
 * and QDQ Gemm selector); it runs every other such pattern in float, which integer kernels
 * cannot match bit for bit, so those are refused:
 * - a bias C is either int32 behind a DequantizeLinear (its own scale is not used: the int32
 *   values are added to the accumulator, as ONNX Runtime's fused QGemm does) or a 1-D float32
 *   constant, quantized here as ONNX Runtime does: round_half_even(float32(C / float32(a_scale *
 *   b_scale[c])));
 * - with a bias, alpha and beta must be 1;
 * - A and the output have the same type, and an int8 A needs an int8 B (checked in inferQGemm).
 */
import type { Node } from '../../../ir/graph.ts';
import { uniqueName } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import { roundHalfEven } from '../../../numerics/requantize.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

const f32 = Math.fround;

export function importQdqGemm(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [a, b] = node.inputs as [string, string];
  const c = node.input(2);
  const aQuant = ctx.graph.tensors.get(a)?.quant;
  if (!aQuant) throw new UserError(`${node.label}: A must come through a DequantizeLinear`);
  const weights = ctx.constant(node, b, 'B (weights)');
  if (!weights.quant) throw new UserError(`${node.label}: B must come through a DequantizeLinear`);
  if (weights.shape.length !== 2) throw new UserError(`${node.label}: B must be 2-D, got [${weights.shape}]`);
  if (aQuant.scale.length !== 1) throw new UserError(`${node.label}: A must be quantized per tensor`);
  const transB = node.int('transB', 0);
  const n = weights.shape[transB ? 0 : 1]!;
  const bScales = weights.quant.scale;
  if (bScales.length > 1 && (weights.quant.axis ?? 1) !== (transB ? 0 : 1)) {
    throw new UserError(`${node.label}: B is quantized per slice along axis ${weights.quant.axis ?? 1}; QGemm needs one scale per output column (axis ${transB ? 0 : 1})`);
  }
  const alpha = node.float('alpha', 1);
  const beta = node.float('beta', 1);
  let bias = '';
  if (c !== '') {
    if (alpha !== 1 || beta !== 1) {
      throw new UserError(`${node.label}: with a bias C, alpha and beta must be 1 (found ${alpha} and ${beta}); ONNX Runtime computes such a Gemm in float`);
    }
    const cTensor = ctx.constant(node, c, 'C (bias)');
    if (cTensor.quant) {
      if (cTensor.dtype !== 'int32') throw new UserError(`${node.label}: the bias behind a DequantizeLinear must be int32, found ${cTensor.dtype}`);
      bias = c;
    } else if (cTensor.dtype === 'float32') {
      bias = quantizeFloatBias(node, ctx, c, aQuant.scale[0]!, bScales, n);
    } else {
      throw new UserError(`${node.label}: C (bias) must be float32, or int32 behind a DequantizeLinear; found ${cTensor.dtype}`);
    }
  }
  return {
    name: node.name,
    op: 'QGemm',
    inputs: bias === '' ? [a, b] : [a, b, bias],
    outputs: [node.outputs[0]!],
    attrs: { transA: node.int('transA', 0), transB, alpha, qdq: 1 },
  };
}

/** A float32 bias as the int32 constant ONNX Runtime's BiasQuantization makes of it; returns its name. */
function quantizeFloatBias(node: OnnxNodeView, ctx: ImportContext, c: string, aScale: number, bScales: readonly number[], n: number): string {
  const cTensor = ctx.constant(node, c, 'C (bias)');
  const values = cTensor.data as Float32Array;
  if (cTensor.shape.length !== 1 || (bScales.length > 1 && values.length !== bScales.length)) {
    throw new UserError(
      `${node.label}: a float bias C must be 1-D${bScales.length > 1 ? ` with one value per output column (${n})` : ''}, found [${cTensor.shape}]; ONNX Runtime computes such a Gemm in float`,
    );
  }
  const data = Int32Array.from(values, (v, i) => {
    const q = roundHalfEven(f32(f32(v) / f32(f32(aScale) * f32(bScales[bScales.length === 1 ? 0 : i]!))));
    if (!(Math.abs(q) < 2 ** 31)) throw new UserError(`${node.label}: bias value ${v} does not fit int32 at scale a_scale * b_scale`);
    return q;
  });
  const name = uniqueName(ctx.graph, `${c}_quantized`);
  ctx.graph.tensors.set(name, { name, dtype: 'int32', shape: [...cTensor.shape], data });
  return name;
}

export const qgemmQdqImports: OnnxImport[] = [{ domain: '', opType: 'Gemm', form: 'qdq', import: importQdqGemm }];
