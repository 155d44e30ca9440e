/**
 * The 256-entry table of a QLinearLookup: for each int8 input q, the int8 output
 * quantize(f(dequantize(q))).
 *
 * - onnx: as ONNX Runtime builds its QLinearSigmoid / QLinearLeakyRelu tables and as its
 *   DequantizeLinear → float op → QuantizeLinear path computes: x = fround(s_x * (q - z_x)),
 *   y = f(x) in float32 (functions.ts), then MLAS's QuantizeLinear: fround(y / s_y), clamped to
 *   the int8 range less the zero point, rounded half to even, plus the zero point.
 * - tflite: the function in double precision and TfLite's rounding (half away from zero) of
 *   y / s_y, plus the zero point, saturated. Only the table is computed this way, at compile
 *   time; the device only indexes it.
 */
import type { RoundingMode } from '../../numerics/requantize.ts';
import { clamp, roundHalfAway, roundHalfEven } from '../../numerics/requantize.ts';
import { exactFunction, onnxFunction, type LookupFunction, type LookupParams } from './functions.ts';

const f32 = Math.fround;

export interface AffineQuant {
  scale: number;
  zeroPoint: number;
}

/** table[q + 128] is the output for the int8 input q. */
export function lookupTable(mode: RoundingMode, fn: LookupFunction, params: LookupParams, x: AffineQuant, y: AffineQuant): Int8Array {
  const table = new Int8Array(256);
  if (mode === 'onnx') {
    const f = onnxFunction(fn, params);
    const lo = -128 - y.zeroPoint;
    const hi = 127 - y.zeroPoint;
    for (let q = -128; q <= 127; q++) {
      const real = f32(x.scale * (q - x.zeroPoint));
      const scaled = f32(f(real) / y.scale);
      table[q + 128] = roundHalfEven(clamp(scaled, lo, hi)) + y.zeroPoint;
    }
    return table;
  }
  const f = exactFunction(fn, params);
  for (let q = -128; q <= 127; q++) {
    const real = x.scale * (q - x.zeroPoint);
    const scaled = f(real) / y.scale;
    table[q + 128] = Number.isFinite(scaled) ? clamp(roundHalfAway(scaled) + y.zeroPoint, -128, 127) : scaled > 0 ? 127 : -128;
  }
  return table;
}
