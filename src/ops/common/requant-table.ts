/**
 * Requantizing an int8 tensor from one per-tensor quantization to another, for data-movement
 * ops whose inputs and outputs are quantized differently (QLinearConcat, DQ → Concat/Pad/
 * Resize/Reshape/... → Q). Every int8 value maps to one output value, so the rule becomes a
 * 256-entry table built once at compile time, indexed by value + 128:
 * - 'onnx': what ONNX Runtime computes, both in its QLinearConcat (a table built from a float32
 *   dequantization followed by MLAS QuantizeLinear) and in an unfused DQ → op → Q chain:
 *   y = saturate(round_half_even(fround(fround(s_x * (x - z_x)) / s_y)) + z_y);
 * - 'tflite': TFLM's integer requantization (its Quantize kernel on int8 input):
 *   y = saturate(MultiplyByQuantizedMultiplier(x - z_x, s_x / s_y) + z_y).
 * The kernels only look the table up, so the C and the reference agree by construction.
 */
import type { Graph, Node, Quantization } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { clamp, makeRequant, requantize, roundHalfEven, type RoundingMode } from '../../numerics/requantize.ts';

const f32 = Math.fround;

/** True when both are absent, or both describe the same scales, zero points and axis. */
export function sameQuantization(a: Quantization | undefined, b: Quantization | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.scale.length !== b.scale.length || a.zeroPoint.length !== b.zeroPoint.length) return false;
  if (a.scale.length > 1 && a.axis !== b.axis) return false;
  return a.scale.every((s, i) => f32(s) === f32(b.scale[i]!)) && a.zeroPoint.every((z, i) => z === b.zeroPoint[i]);
}

/** True when the output's bytes are the input's: same type and quantization. */
export function sameRepresentation(graph: Graph, input: string, output: string): boolean {
  const x = tensorOf(graph, input);
  const y = tensorOf(graph, output);
  return x.dtype === y.dtype && sameQuantization(x.quant, y.quant);
}

/** ONNX Runtime's QuantizeLinear of one float32 value to int8 (after the uint8 → int8 rewrite). */
export function quantizeOnnx(value: number, q: Quantization, [lo, hi]: readonly [number, number] = [-128, 127]): number {
  const zp = q.zeroPoint[0]!;
  const scaled = f32(f32(value) / f32(q.scale[0]!));
  if (Number.isNaN(scaled)) return clamp(zp, lo, hi);
  return clamp(roundHalfEven(clamp(scaled, lo - zp, hi - zp)) + zp, lo, hi);
}

function perTensor(node: Node, q: Quantization | undefined, role: string): Quantization {
  if (!q) throw new UserError(`node '${node.name}' (${node.op}): the ${role} has no quantization, so it cannot be requantized`);
  if (q.scale.length !== 1) throw new UserError(`node '${node.name}' (${node.op}): the ${role} must be quantized per tensor to be requantized`);
  return q;
}

/** The int8 value an int8 value `x` of quantization `from` becomes in quantization `to`. */
export function requantizeValue(mode: RoundingMode, node: Node, from: Quantization | undefined, to: Quantization | undefined, x: number): number {
  return requantTable(mode, node, from, to)[x + 128]!;
}

/** The 256-entry table, indexed by x + 128, that requantizes int8 values from `from` to `to`. */
export function requantTable(mode: RoundingMode, node: Node, from: Quantization | undefined, to: Quantization | undefined): Int8Array {
  const a = perTensor(node, from, 'input');
  const b = perTensor(node, to, 'output');
  const [sx, zx, sy, zy] = [f32(a.scale[0]!), a.zeroPoint[0]!, f32(b.scale[0]!), b.zeroPoint[0]!];
  const table = new Int8Array(256);
  if (mode === 'onnx') {
    for (let x = -128; x < 128; x++) table[x + 128] = quantizeOnnx(f32(sx * (x - zx)), b);
    return table;
  }
  let rq;
  try {
    rq = makeRequant('tflite', sx, [1], sy, zy);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`node '${node.name}' (${node.op}): ${err.message}`);
    throw err;
  }
  for (let x = -128; x < 128; x++) table[x + 128] = requantize(rq, 0, x - zx);
  return table;
}
