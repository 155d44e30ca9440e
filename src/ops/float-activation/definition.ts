/**
 * Float activations, elementwise: FloatRelu, FloatClip, FloatLeakyRelu, FloatHardSigmoid,
 * FloatHardSwish, FloatSigmoid, FloatTanh (ONNX's Relu, Clip, LeakyRelu, HardSigmoid, HardSwish,
 * Sigmoid, Tanh on tensors as they stand). Imported only when float ops are allowed.
 *
 * Each float32 step rounds once, in this order (v < lo means the IEEE comparison, so NaN passes):
 * - Clip: v = x; if has_min and v < min: v = min; if has_max and v > max: v = max (so min > max
 *   gives max, as numpy's clip). From opset 11 the bounds are optional constant inputs; before,
 *   attributes with defaults -FLT_MAX and FLT_MAX.
 * - Relu: Clip with min 0 (-0 and NaN pass unchanged).
 * - LeakyRelu: x < 0 ? alpha * x : x.
 * - HardSigmoid: v = alpha * x + beta, then v < 0 ? 0 : (v > 1 ? 1 : v).
 * - HardSwish: x * HardSigmoid(x) with alpha = float32(1/6), beta = 0.5.
 * - Sigmoid, Tanh: sigmoidf, tanhf of src/numerics/float-math.ts (tg_float_math.h in C).
 * A NaN result is stored as the canonical quiet NaN 0x7fc00000.
 *
 * Relu and Clip also take int8, uint8 and int32 tensors (a clamp to integer bounds, in the stored
 * int8 values for uint8 after the uint8 rewrite).
 *
 * IR: inputs [X] (Clip: [X, min?, max?]), outputs [Y]; attrs.elem (the model's element type),
 * attrs.alpha / attrs.beta, and for opset < 11 Clip attrs.min / attrs.max.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { ELEM, elemOf, type ElemCode } from '../common/float-values.ts';

export type FloatActivationOp = 'FloatRelu' | 'FloatClip' | 'FloatLeakyRelu' | 'FloatHardSigmoid' | 'FloatHardSwish' | 'FloatSigmoid' | 'FloatTanh';

/** The kernel's function codes (TG_ACT_* in tinygen_kernels.h). */
export const ACT = { clip: 0, leakyRelu: 1, hardSigmoid: 2, hardSwish: 3, sigmoid: 4, tanh: 5 } as const;
export const ACT_C = ['TG_ACT_CLIP', 'TG_ACT_LEAKY_RELU', 'TG_ACT_HARD_SIGMOID', 'TG_ACT_HARD_SWISH', 'TG_ACT_SIGMOID', 'TG_ACT_TANH'] as const;

export interface FloatActivationParams {
  fn: number;
  elem: ElemCode;
  count: number;
  alpha: number;
  beta: number;
  hasMin: boolean;
  hasMax: boolean;
  /** float32 bounds (Clip, Relu). */
  min: number;
  max: number;
  /** Integer bounds in stored values (Clip, Relu on int8, uint8, int32). */
  intMin: number;
  intMax: number;
}

const FLOAT_ONLY: readonly FloatActivationOp[] = ['FloatLeakyRelu', 'FloatHardSigmoid', 'FloatHardSwish', 'FloatSigmoid', 'FloatTanh'];

export function inferFloatActivation(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const allowed = FLOAT_ONLY.includes(node.op as FloatActivationOp) ? (['float32'] as const) : (['float32', 'int8', 'uint8', 'int32'] as const);
  const elem = elemOf(node, x, allowed);
  if (x.quant) throw new UserError(`node '${node.name}' (${node.op}): a quantized input belongs to a DequantizeLinear → op → QuantizeLinear pattern, not to the float op`);
  for (const [i, role] of [[1, 'min'], [2, 'max']] as const) {
    const name = node.inputs[i] ?? '';
    if (name === '') continue;
    const bound = tensorOf(graph, name);
    if (bound.dtype !== x.dtype) throw new UserError(`node '${node.name}' (${node.op}): ${role} '${name}' is ${bound.dtype} but the input is ${x.dtype}`);
    if (bound.shape.reduce((a, b) => a * b, 1) !== 1) throw new UserError(`node '${node.name}' (${node.op}): ${role} '${name}' must be a scalar, has shape [${bound.shape}]`);
  }
  if (node.attrs.min !== undefined && elem !== ELEM.f32) throw new UserError(`node '${node.name}' (${node.op}): Clip before opset 11 is defined on floats only, the input is ${x.dtype}`);
  node.attrs.elem ??= elem;
  return [{ shape: [...x.shape], dtype: x.dtype }];
}

const INT_RANGE: Record<number, [number, number]> = { [ELEM.s8]: [-128, 127], [ELEM.u8]: [-128, 127], [ELEM.s32]: [-2147483648, 2147483647] };

export function prepareFloatActivation(node: Node, graph: Graph): FloatActivationParams {
  const elem = node.attrs.elem as ElemCode;
  const count = tensorOf(graph, node.outputs[0]!).shape.reduce((a, b) => a * b, 1);
  const p: FloatActivationParams = { fn: ACT.clip, elem, count, alpha: 0, beta: 0, hasMin: false, hasMax: false, min: 0, max: 0, intMin: 0, intMax: 0 };
  const bound = (i: number): number | undefined => {
    const name = node.inputs[i] ?? '';
    if (name === '') return undefined;
    const data = tensorOf(graph, name).data;
    if (!data) throw new UserError(`node '${node.name}' (${node.op}): bound '${name}' must be a constant`);
    return Number(data[0]);
  };
  switch (node.op as FloatActivationOp) {
    case 'FloatRelu':
    case 'FloatClip': {
      let lo: number | undefined;
      let hi: number | undefined;
      if (node.op === 'FloatRelu') lo = elem === ELEM.u8 ? -128 : 0;
      else if (node.attrs.min !== undefined) [lo, hi] = [node.attrs.min as number, node.attrs.max as number];
      else [lo, hi] = [bound(1), bound(2)];
      if (elem === ELEM.f32) {
        if (Number.isNaN(lo) || Number.isNaN(hi)) throw new UserError(`node '${node.name}' (${node.op}): a NaN bound is not supported`);
        // An infinite bound clamps nothing (x < -inf and x > inf never hold), the same as no bound.
        if (lo === -Infinity) lo = undefined;
        if (hi === Infinity) hi = undefined;
        Object.assign(p, { hasMin: lo !== undefined, hasMax: hi !== undefined, min: lo ?? 0, max: hi ?? 0 });
        if (![p.min, p.max].every(Number.isFinite)) throw new UserError(`node '${node.name}' (${node.op}): bounds of +inf as min or -inf as max are not supported`);
      } else {
        const [tmin, tmax] = INT_RANGE[elem]!;
        Object.assign(p, { intMin: lo ?? tmin, intMax: hi ?? tmax });
      }
      break;
    }
    case 'FloatLeakyRelu':
      Object.assign(p, { fn: ACT.leakyRelu, alpha: node.attrs.alpha });
      break;
    case 'FloatHardSigmoid':
      Object.assign(p, { fn: ACT.hardSigmoid, alpha: node.attrs.alpha, beta: node.attrs.beta });
      break;
    case 'FloatHardSwish':
      Object.assign(p, { fn: ACT.hardSwish, alpha: node.attrs.alpha, beta: node.attrs.beta });
      break;
    case 'FloatSigmoid':
      p.fn = ACT.sigmoid;
      break;
    case 'FloatTanh':
      p.fn = ACT.tanh;
      break;
  }
  if (![p.alpha, p.beta].every(Number.isFinite)) throw new UserError(`node '${node.name}' (${node.op}): alpha and beta must be finite`);
  return p;
}
