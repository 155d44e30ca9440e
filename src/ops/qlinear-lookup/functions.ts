/**
 * The real-valued functions a QLinearLookup table can hold, each in two forms:
 *
 * - `onnx`: the float32 value ONNX Runtime's CPU kernels compute, bit for bit. Sigmoid and Tanh
 *   are MLAS's rational approximations (Eigen's coefficients) as its FMA3 kernels evaluate them
 *   on x86-64 (the path every AVX2 machine takes): clamp the input, Horner steps as fused
 *   multiply-adds in x², the odd numerator times x, one division. HardSigmoid is
 *   fround(alpha * x) + beta clamped to [0, 1] (Eigen, no fusion); HardSwish is
 *   x * HardSigmoid(x) with alpha = fround(1/6), beta = 1/2. Checked against the
 *   onnxruntime-node binary on millions of float inputs (see test/ops/qlinear-lookup.test.ts).
 * - `exact`: the mathematical function in double precision, for tflite mode's tables.
 */
import { fmaf } from '../../numerics/fma.ts';

const f32 = Math.fround;

export type LookupFunction = 'sigmoid' | 'tanh' | 'hard_sigmoid' | 'hard_swish' | 'leaky_relu' | 'relu' | 'clip';
export const LOOKUP_FUNCTIONS: readonly LookupFunction[] = ['sigmoid', 'tanh', 'hard_sigmoid', 'hard_swish', 'leaky_relu', 'relu', 'clip'];

/** The function's parameters, float32 values as the model stores them. */
export interface LookupParams {
  alpha?: number;
  beta?: number;
  min?: number;
  max?: number;
}

// MLAS logistic: p(x)/q(x) + 1/2 on [-18, 18], p odd of degree 9, q even of degree 10.
const LOGISTIC = {
  range: 18,
  p: [4.37031012579801e-11, 1.15627324459942e-7, 6.08574864600143e-5, 8.51377133304701e-3, 2.48287947061529e-1].map(f32),
  q: [6.10247389755681e-13, 5.76102136993427e-9, 6.2910678501704e-6, 1.70198817374094e-3, 1.16817656904453e-1, 9.9315192102318e-1].map(f32),
};

// MLAS tanh: p(x)/q(x) on [-9, 9], p odd of degree 13, q even of degree 6.
const TANH = {
  range: 9,
  p: [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3].map(f32),
  q: [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3].map(f32),
};

/** Horner in x² with fused steps, from the highest coefficient down: ((c0 x² + c1) x² + c2) ... */
function hornerFma(x2: number, coefficients: readonly number[]): number {
  let acc = fmaf(x2, coefficients[0]!, coefficients[1]!);
  for (let i = 2; i < coefficients.length; i++) acc = fmaf(x2, acc, coefficients[i]!);
  return acc;
}

function clampRange(x: number, range: number): number {
  return Math.min(range, Math.max(-range, x));
}

export function mlasLogistic(x: number): number {
  const v = clampRange(x, LOGISTIC.range);
  const x2 = f32(v * v);
  const p = f32(v * hornerFma(x2, LOGISTIC.p));
  const q = hornerFma(x2, LOGISTIC.q);
  // The FMA3 kernel clamps only below: the quotient plus 1/2 never exceeds 1 on this range.
  return Math.max(0, f32(f32(p / q) + 0.5));
}

export function mlasTanh(x: number): number {
  const v = clampRange(x, TANH.range);
  const x2 = f32(v * v);
  const p = f32(v * hornerFma(x2, TANH.p));
  const q = hornerFma(x2, TANH.q);
  return f32(p / q);
}

function hardSigmoid32(x: number, alpha: number, beta: number): number {
  return Math.max(0, Math.min(1, f32(f32(alpha * x) + beta)));
}

const ONE_SIXTH = f32(1 / 6);

/** The float32 value ONNX Runtime computes for a float32 input. */
export function onnxFunction(fn: LookupFunction, p: LookupParams): (x: number) => number {
  switch (fn) {
    case 'sigmoid':
      return mlasLogistic;
    case 'tanh':
      return mlasTanh;
    case 'hard_sigmoid':
      return (x) => hardSigmoid32(x, p.alpha!, p.beta!);
    case 'hard_swish':
      return (x) => f32(x * hardSigmoid32(x, ONE_SIXTH, 0.5));
    case 'leaky_relu':
      return (x) => (x >= 0 ? x : f32(p.alpha! * x));
    case 'relu':
      return (x) => Math.max(0, x);
    case 'clip':
      return (x) => Math.min(p.max!, Math.max(p.min!, x));
  }
}

/** The function in double precision (parameters as the model's float32 values). */
export function exactFunction(fn: LookupFunction, p: LookupParams): (x: number) => number {
  switch (fn) {
    case 'sigmoid':
      return (x) => 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh;
    case 'hard_sigmoid':
      return (x) => Math.max(0, Math.min(1, p.alpha! * x + p.beta!));
    case 'hard_swish':
      return (x) => (x * Math.max(0, Math.min(6, x + 3))) / 6;
    case 'leaky_relu':
      return (x) => (x >= 0 ? x : p.alpha! * x);
    case 'relu':
      return (x) => Math.max(0, x);
    case 'clip':
      return (x) => Math.min(p.max!, Math.max(p.min!, x));
  }
}
