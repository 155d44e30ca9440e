/**
 * QGemm (com.microsoft): Y = alpha * (A - za)(B - zb) + C, with A [M, K] (or [K, M] when transA),
 * a constant B [K, N] (or [N, K] when transB; per-tensor or per-column), an optional int32 bias C
 * that broadcasts to [M, N] (scalar, [N], [1, N], [M, 1] or [M, N]), and either a quantized
 * output (y_scale and y_zero_point) or, without them, float32. In the IR its inputs are
 * [A, B, C?]; scales and zero points live on the tensors.
 *
 * As ONNX Runtime computes it (contrib_ops/cpu/quantization/quant_gemm.cc, MLAS output
 * processors): C is added into the int32 accumulator; the per-column output scale is the float32
 * product alpha * a_scale * b_scale[c], left to right, divided by y_scale when the output is
 * quantized (then requantized as everywhere in 'onnx' mode), else the output is
 * float32(acc) * scale. In 'tflite' mode the real multiplier alpha * a_scale * b_scale / y_scale
 * becomes a Q31 multiplier and shift.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { activationRange } from '../common/activation.ts';
import { perChannel, perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';
import { transposedB, type GemmParams } from '../common/gemm.ts';
import { matrixLayer, type PointwiseLayer } from '../common/pointwise.ts';

const f32 = Math.fround;

export interface QGemmParams {
  gemm: GemmParams;
  /** A quantized output's requantization, or the float32 scales (one, or one per column) of a float output. */
  output: { kind: 'quantized'; requant: Requant } | { kind: 'float'; scales: number[] };
}

/** Element strides [row, column] through which the bias broadcasts to [M, N], as ONNX Runtime reads it. */
function biasStrides(node: Node, shape: readonly number[], m: number, n: number): [number, number] {
  const fail = (): never => {
    throw new UserError(`node '${node.name}' (QGemm): C (bias) [${shape}] does not broadcast to the output [${m}, ${n}]`);
  };
  if (shape.length > 2) fail();
  if (elementCount(shape) === 1) return [0, 0];
  if (shape.length === 1) return shape[0] === n ? [0, 1] : fail();
  if (shape[0] === 1) return shape[1] === n ? [0, 1] : fail();
  if (shape[1] === 1) return shape[0] === m ? [1, 0] : fail();
  return shape[0] === m && shape[1] === n ? [n, 1] : fail();
}

function dims(node: Node, graph: Graph) {
  const a = tensorOf(graph, node.inputs[0]!);
  const b = tensorOf(graph, node.inputs[1]!);
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (QGemm): A [${a.shape}] x B [${b.shape}]: ${why}`);
  };
  if (a.shape.length !== 2 || b.shape.length !== 2) fail('A and B must be 2-D');
  const [m, k] = node.attrs.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = node.attrs.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== kb) fail(`inner dimensions ${k} and ${kb} differ${node.attrs.transA || node.attrs.transB ? ' (after transA/transB)' : ''}`);
  return { a, b, m, k, n };
}

export function inferQGemm(node: Node, graph: Graph): OutputInfo[] {
  const { a, b, m, n } = dims(node, graph);
  requireDtype(node, a, ['int8', 'uint8'], 'A');
  requireDtype(node, b, ['int8', 'uint8'], 'B');
  const bQuant = quantOf(graph, node, b.name, 'B');
  if (bQuant.scale.length !== 1 && bQuant.scale.length !== n) {
    throw new UserError(`node '${node.name}' (QGemm): B has ${bQuant.scale.length} scales for ${n} columns`);
  }
  if (node.inputs[2]) biasStrides(node, tensorOf(graph, node.inputs[2]).shape, m, n);
  if (node.attrs.qdq) {
    // ONNX Runtime fuses DQ → Gemm → Q into QGemm only under these conditions, and runs the
    // pattern in float otherwise, which integer kernels cannot reproduce bit for bit.
    const y = tensorOf(graph, node.outputs[0]!);
    if (y.dtype !== a.dtype) throw new UserError(`node '${node.name}' (Gemm): A is ${a.dtype} but the QuantizeLinear output is ${y.dtype}; they must match`);
    if (a.dtype === 'int8' && b.dtype !== 'int8') throw new UserError(`node '${node.name}' (Gemm): with an int8 A, B must be int8 too (found ${b.dtype})`);
  }
  return [{ shape: [m, n] }];
}

export function prepareQGemm(node: Node, graph: Graph, options: CompileOptions): QGemmParams {
  const { a, b, m, k, n } = dims(node, graph);
  const y = tensorOf(graph, node.outputs[0]!);
  const aQuant = quantOf(graph, node, a.name, 'A');
  const bQuant = quantOf(graph, node, b.name, 'B');
  if (aQuant.scale.length !== 1) throw new UserError(`node '${node.name}' (QGemm): A must be quantized per tensor`);
  const transA = node.attrs.transA ? 1 : 0;
  const bias = node.inputs[2] ? tensorOf(graph, node.inputs[2]) : undefined;
  const [biasRowStride, biasColStride] = bias ? biasStrides(node, bias.shape, m, n) : [0, 0];
  const gemm: GemmParams = {
    batch: 1,
    m,
    k,
    n,
    aBatchStride: 0,
    aRowStride: transA ? 1 : k,
    aColStride: transA ? m : 1,
    aZeroPoint: perTensorZeroPoint(graph, node, a.name, 'A'),
    b: transposedB(b.data as Int8Array, 1, k, n, !node.attrs.transB),
    bBatchStride: 0,
    bZeroPoints: perChannel(bQuant.zeroPoint, n),
    ...(bias ? { bias: bias.data as Int32Array } : {}),
    biasRowStride,
    biasColStride,
  };
  const alpha = node.attrs.alpha as number;
  const aScale = aQuant.scale[0]!;
  if (y.dtype === 'float32') {
    if (node.attrs.clamp) throw new Error(`internal: activation clamp folded into QGemm '${node.name}' with a float output`);
    return { gemm, output: { kind: 'float', scales: bQuant.scale.map((s) => f32(f32(f32(alpha) * f32(aScale)) * f32(s))) } };
  }
  const yQuant = quantOf(graph, node, y.name, 'output');
  // makeRequant's onnx multiplier is fround(fround(in * w) / out): with in = fround(alpha * a_scale)
  // that is ONNX Runtime's ((alpha * a_scale) * b_scale) / y_scale in float32. tflite mode is TFLM's
  // FULLY_CONNECTED (alpha is 1 in TFLite files): per-channel B in double, per-tensor B with the
  // product s_a * s_b rounded to float32 first (GetQuantizedConvolutionMultipler).
  const inScale = options.rounding === 'onnx' ? f32(f32(alpha) * f32(aScale)) : alpha * aScale;
  let requant: Requant;
  try {
    const [actMin, actMax] = activationRange(node, graph);
    const product = bQuant.scale.length === 1 ? 'float32' : 'double';
    requant = makeRequant(options.rounding, inScale, bQuant.scale, yQuant.scale[0]!, perTensorZeroPoint(graph, node, y.name, 'output'), actMin, actMax, product);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`node '${node.name}' (QGemm): ${err.message}`);
    throw err;
  }
  return { gemm, output: { kind: 'quantized', requant } };
}

/**
 * The layer as the int8 matrix-product kernel runs it, when it is a fully connected layer: one B,
 * A's rows contiguous, a bias per column or none, no B zero point, a quantized output.
 */
export function fullyConnectedLayer(p: QGemmParams): PointwiseLayer | undefined {
  const g = p.gemm;
  const rowsContiguous = g.batch === 1 && g.aColStride === 1 && g.aRowStride === g.k;
  // One column's bias may be given as a scalar: it is per column too.
  const biasPerColumn = !g.bias || (g.biasRowStride === 0 && (g.biasColStride === 1 || g.n === 1));
  if (p.output.kind !== 'quantized' || !rowsContiguous || !biasPerColumn || !g.bZeroPoints.every((z) => z === 0)) return undefined;
  return { ...matrixLayer(g.m, g.k, g.n), weights: g.b, bias: g.bias, inZeroPoint: g.aZeroPoint, requant: p.output.requant };
}
