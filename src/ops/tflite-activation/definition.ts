/**
 * TFLiteLogistic and TFLiteTanh: TFLite's LOGISTIC and TANH as TFLM computes them.
 *
 * int8 (logistic_common.cc / tanh.cc prepare, reference_integer_ops::Logistic / ::Tanh): x - zp
 * to Q4.27 by a Q31 multiplier and left shift from frexp(s_x * 2^27); inputs at or beyond the
 * radius (CalculateInputRadius with 4 integer bits) saturate to -128 or 127; the rest go
 * through gemmlowp's logistic or tanh to Q0.31 and a rounding shift to the output.
 *
 * int16 (the 16x8 path of the same files): zero points must be 0 and the output scale 2^-15
 * (TFLM's CheckedLog2). x goes to units of 1/12288 (3 · 2^12) by a small multiplier and a
 * rounding right shift; |that| indexes a 256-entry table of sigmoid(i/24) in Q0.16 with linear
 * interpolation (logistic by its top bits above 9, tanh above 8 as tanh(x) = 2 sigmoid(2x) - 1),
 * saturating past the table, and the sign folds the result back.
 *
 * IR: inputs [x], outputs [y], both int8 or both int16, per tensor; no attributes. TFLM fixes
 * the output quantization: int8 logistic scale 1/256, zero point -128; int8 tanh scale 1/128,
 * zero point 0; int16 both scale 2^-15, zero point 0. Its int8 prepare checks only logistic's
 * zero point, so another declared scale (or, for tanh, zero point) holds the same bytes.
 * No ONNX op maps here; the TFLite frontend creates them.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { fixedPointInputScaling, tflmInt16UnaryIo, tflmUnaryIo, type OutputCheck, type RequiredOutputQuant } from '../common/tflm-input-scaling.ts';

export type TflmActivation = 'logistic' | 'tanh';

/** Both kernels read the input in Q4.27. */
export const ACTIVATION_INPUT_INTEGER_BITS = 4;

export const ACTIVATION_OUTPUT: Record<TflmActivation, RequiredOutputQuant> = {
  logistic: { scale: 1 / 256, zeroPoint: -128 },
  tanh: { scale: 1 / 128, zeroPoint: 0 },
};

/** What TFLM's int8 prepare checks of that: logistic_common.cc the zero point, tanh.cc nothing. */
const ACTIVATION_OUTPUT_CHECK: Record<TflmActivation, OutputCheck> = { logistic: 'zero point', tanh: 'none' };

export interface TflmActivationParams {
  inputZeroPoint: number;
  inputRangeRadius: number;
  inputMultiplier: number;
  inputLeftShift: number;
}

/**
 * The int16 kernel's constants: v = (x · inputMultiplier + rounding) >> inputShift is x in units
 * of 1/12288. TFLM's power-of-two case (its multiplier 0, which the kernel replaces by 3 << shift
 * and shift 0) is resolved here, so the C has one path.
 */
export interface TflmActivation16Params {
  dtype: 'int16';
  inputMultiplier: number;
  /** A right shift that rounds half up (TFLM calls it input_left_shift). */
  inputShift: number;
}

export type TflmActivationAnyParams = TflmActivationParams | TflmActivation16Params;

/** The int16 kernel's output: 2^-15 (TFLM checks log2 of the scale, so 1/32767 passes too). */
const INT16_OUTPUT_LOG2 = -15;
/** TFLM asserts the table multiplier fits 15 bits (a debug check; the release build would go on). */
const INT16_MAX_MULTIPLIER = 32767;

export function inferTflmActivation(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  return [{ shape: [...x.shape], dtype: x.dtype === 'int16' ? 'int16' : 'int8' }];
}

/**
 * TFLite's CheckedLog2 on a float32 scale: log2 by logf(x) · (1 / logf(2)) in float32, rounded
 * half away from zero; `ok` when the fraction left is under 1e-3. logf is emulated as the float32
 * rounding of a double log, which can differ from a C library's logf by an ulp: that matters only
 * for a scale right at the 1e-3 edge.
 */
export function checkedLog2(x: number): { ok: boolean; log2: number } {
  const f = Math.fround;
  const log2 = f(f(Math.log(f(x))) * f(1 / f(Math.log(2))));
  const rounded = Math.sign(log2) * Math.floor(Math.abs(log2) + 0.5);
  const fraction = f(log2 - rounded);
  return { ok: Math.abs(fraction) < f(1e-3), log2: rounded };
}

/**
 * TFLM's int16 prepare of the input scaling, as it leaves it: multiplier 0 in the power-of-two
 * case (s_x = 2^-12, and for tanh 2^-11 too: the left shift is then 12 + log2 s_x), else
 * s_x · 3 · 4096 doubled while at most 16383.5 (and the shift at most 30), each doubling one more
 * shift, and the multiplier truncated, not rounded.
 */
export function tflmInt16InputScaling(fn: TflmActivation, inputScale: number): { multiplier: number; leftShift: number; powerOfTwo: boolean } {
  const log2 = checkedLog2(inputScale);
  const leftShift = 12 + log2.log2;
  if (log2.ok && (leftShift === 0 || (fn === 'tanh' && leftShift === 1))) return { multiplier: 0, leftShift, powerOfTwo: true };
  // Exact in double: a float32 times 4096 times 3, then doublings.
  let m = Math.fround(inputScale) * 4096 * 3;
  let shift = 0;
  while (m <= 32767 / 2 && shift <= 30) {
    shift++;
    m *= 2;
  }
  return { multiplier: Math.trunc(m), leftShift: shift, powerOfTwo: false };
}

function prepareInt16(fn: TflmActivation, node: Node, graph: Graph): TflmActivation16Params {
  const { input, output } = tflmInt16UnaryIo(node, graph);
  const out = checkedLog2(output.scale);
  if (!out.ok || out.log2 !== INT16_OUTPUT_LOG2) {
    throw new UserError(`node '${node.name}' (${node.op}): the output scale must be 2^-15 (TFLM's int16 ${fn}), found ${output.scale}`);
  }
  const { multiplier, leftShift, powerOfTwo } = tflmInt16InputScaling(fn, input.scale);
  if (multiplier > INT16_MAX_MULTIPLIER) {
    throw new UserError(`node '${node.name}' (${node.op}): the input scale ${input.scale} is too large for TFLM's int16 ${fn} (its multiplier ${multiplier} passes ${INT16_MAX_MULTIPLIER}; at most about 2.67)`);
  }
  if (multiplier === 0 && !powerOfTwo) {
    // The truncated multiplier came out 0, which TFLM's kernel would take for the power-of-two case (3 << 31).
    throw new UserError(`node '${node.name}' (${node.op}): the input scale ${input.scale} is too small for TFLM's int16 ${fn}`);
  }
  const params: TflmActivation16Params =
    powerOfTwo ? { dtype: 'int16', inputMultiplier: 3 << leftShift, inputShift: 0 } : { dtype: 'int16', inputMultiplier: multiplier, inputShift: leftShift };
  return params;
}

export function prepareTflmActivation(fn: TflmActivation): (node: Node, graph: Graph) => TflmActivationAnyParams {
  return (node, graph) => {
    if (tensorOf(graph, node.inputs[0]!).dtype === 'int16') return prepareInt16(fn, node, graph);
    const input = tflmUnaryIo(node, graph, ACTIVATION_OUTPUT[fn], ACTIVATION_OUTPUT_CHECK[fn]);
    const scaling = fixedPointInputScaling(input.scale, ACTIVATION_INPUT_INTEGER_BITS);
    // Below 2^-27 TFLM's radius overflows an int (its int32 cast is undefined).
    if (scaling.multiplier === 0 || scaling.leftShift < 0) {
      throw new UserError(`node '${node.name}' (${node.op}): the input scale ${input.scale} is too small for TFLM's int8 ${fn} (at least 2^-27)`);
    }
    const params: TflmActivationParams = {
      inputZeroPoint: input.zeroPoint,
      inputRangeRadius: scaling.radius,
      inputMultiplier: scaling.multiplier,
      inputLeftShift: scaling.leftShift,
    };
    return params;
  };
}
