/**
 * TFLiteHardSwish: TFLite's int8 HARD_SWISH, x * relu6(x + 3) / 6, as TFLM computes it
 * (hard_swish_common.cc's HardSwishPrepare, then reference_ops::HardSwish) in int16 fixed
 * point: x - zp is moved to a "hires" scale (times 2^7); one int16 multiplier takes it to the
 * output scale before the final shift, another to the "reluish" scale on which real 3 is 2^15;
 * the reluish value, saturated to [-1, 1] and mapped to [0, 1], multiplies the first.
 *
 * IR: inputs [x], outputs [y], both int8 per tensor; no attributes. No ONNX op maps here; the
 * TFLite frontend creates it.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { INT32_MAX, quantizeMultiplier } from '../../numerics/requantize.ts';
import type { OutputInfo } from '../op.ts';
import { int8PerTensorIo } from '../common/tflm-input-scaling.ts';

/** TFLM's HardSwishParams, with the int16 multipliers held as numbers. */
export interface TfliteHardSwishParams {
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** Q15: hires input scale to the reluish scale (real 3 = 2^15), with reluishExponent. */
  reluishMultiplier: number;
  reluishExponent: number;
  /** Q15: hires input scale to the output scale, with outputExponent (<= 0). */
  outputMultiplier: number;
  outputExponent: number;
}

/** x - zp is moved left by this many bits: |x - zp| <= 255 stays within int16. */
export const HIRES_SHIFT = 7;
/** The reluish scale: real 3 is represented by 2^15. */
const RELUISH_SCALE = Math.fround(3 / 32768);
/** gemmlowp's int16 RoundingDivideByPOT is only meaningful below 16 bits (its mask is int16). */
const MAX_INT16_RIGHT_SHIFT = 15;
/** reference_ops::SaturatingLeftShift computes 1 << (exponent - 1) in int. */
const MAX_RELUISH_EXPONENT = 31;

/** TFLite's DownScaleInt32ToInt16Multiplier: the Q31 multiplier's top 16 bits, rounded, saturated. */
export function downScaleToInt16(multiplier: number): number {
  const roundingOffset = 1 << 15;
  if (multiplier >= INT32_MAX - roundingOffset) return 32767;
  return Math.floor((multiplier + roundingOffset) / 65536);
}

export function inferTfliteHardSwish(node: Node, graph: Graph): OutputInfo[] {
  return [{ shape: [...tensorOf(graph, node.inputs[0]!).shape], dtype: 'int8' }];
}

export function prepareTfliteHardSwish(node: Node, graph: Graph): TfliteHardSwishParams {
  const { input, output } = int8PerTensorIo(node, graph);
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (${node.op}): ${why} (input scale ${input.scale}, output scale ${output.scale})`);
  };
  // HardSwishParams holds int16 zero points and the hires value must fit int16.
  for (const [role, zeroPoint] of [['input', input.zeroPoint], ['output', output.zeroPoint]] as const) {
    if (zeroPoint < -128 || zeroPoint > 127) fail(`the ${role} zero point ${zeroPoint} is outside int8`);
  }
  // HardSwishPrepare divides in float32, then widens to double for QuantizeMultiplier.
  const hiresInputScale = Math.fround(Math.fround(1 / 128) * Math.fround(input.scale));
  const toOutput = quantizeMultiplier(Math.fround(hiresInputScale / Math.fround(output.scale)));
  const toReluish = quantizeMultiplier(Math.fround(hiresInputScale / RELUISH_SCALE));
  if (toOutput.shift > 0) fail("the output scale is at most the input scale / 128, which TFLM's int8 HARD_SWISH rejects");
  if (toOutput.multiplier === 0 || -toOutput.shift > MAX_INT16_RIGHT_SHIFT) fail("the output scale is more than 2^9 times the input scale; TFLM's HARD_SWISH would shift an int16 right by 16 or more, where gemmlowp's rounding shift gives the output zero point plus or minus 1 whatever the input, and tinygen refuses that rather than reproduce it");
  if (toReluish.multiplier === 0 || -toReluish.shift > MAX_INT16_RIGHT_SHIFT) fail("the input scale is below 3 * 2^-24, beyond the int16 arithmetic of TFLM's HARD_SWISH");
  if (toReluish.shift > MAX_RELUISH_EXPONENT) fail("the input scale is too large for TFLM's HARD_SWISH");
  const params: TfliteHardSwishParams = {
    inputZeroPoint: input.zeroPoint,
    outputZeroPoint: output.zeroPoint,
    reluishMultiplier: downScaleToInt16(toReluish.multiplier),
    reluishExponent: toReluish.shift,
    outputMultiplier: downScaleToInt16(toOutput.multiplier),
    outputExponent: toOutput.shift,
  };
  return params;
}
