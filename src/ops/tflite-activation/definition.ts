/**
 * TFLiteLogistic and TFLiteTanh: TFLite's int8 LOGISTIC and TANH as TFLM computes them
 * (logistic_common.cc / tanh.cc prepare, reference_integer_ops::Logistic / ::Tanh): x - zp to
 * Q4.27 by a Q31 multiplier and left shift from frexp(s_x * 2^27); inputs at or beyond the
 * radius (CalculateInputRadius with 4 integer bits) saturate to -128 or 127; the rest go
 * through gemmlowp's logistic or tanh to Q0.31 and a rounding shift to the output.
 *
 * IR: inputs [x], outputs [y], both int8 per tensor; no attributes. TFLM fixes the output
 * quantization: logistic scale 1/256, zero point -128; tanh scale 1/128, zero point 0.
 * No ONNX op maps here; the TFLite frontend creates them.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { fixedPointInputScaling, tflmUnaryIo, type RequiredOutputQuant } from '../common/tflm-input-scaling.ts';

export type TflmActivation = 'logistic' | 'tanh';

/** Both kernels read the input in Q4.27. */
export const ACTIVATION_INPUT_INTEGER_BITS = 4;

export const ACTIVATION_OUTPUT: Record<TflmActivation, RequiredOutputQuant> = {
  logistic: { scale: 1 / 256, zeroPoint: -128 },
  tanh: { scale: 1 / 128, zeroPoint: 0 },
};

export interface TflmActivationParams {
  inputZeroPoint: number;
  inputRangeRadius: number;
  inputMultiplier: number;
  inputLeftShift: number;
}

export function inferTflmActivation(node: Node, graph: Graph): OutputInfo[] {
  return [{ shape: [...tensorOf(graph, node.inputs[0]!).shape], dtype: 'int8' }];
}

export function prepareTflmActivation(fn: TflmActivation): (node: Node, graph: Graph) => TflmActivationParams {
  return (node, graph) => {
    const input = tflmUnaryIo(node, graph, ACTIVATION_OUTPUT[fn]);
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
