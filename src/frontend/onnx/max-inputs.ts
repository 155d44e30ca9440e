/**
 * The most inputs each fixed-arity ONNX op takes, from the ONNX and com.microsoft schemas. A node
 * with more is not a valid model (ONNX Runtime refuses it); left in, an extra input would be a
 * consumer the importers do not read and the planner does count, and it has compiled into C that
 * reads a constant with no storage. Variadic ops (Concat, QLinearConcat) are not listed.
 */
import { UserError } from '../../errors.ts';
import type { OnnxNodeView } from './import-context.ts';

const MAX_INPUTS: Record<string, Record<string, number>> = {
  '': {
    DequantizeLinear: 3,
    QuantizeLinear: 3,
    QLinearConv: 9,
    QLinearMatMul: 8,
    ConvInteger: 4,
    MatMulInteger: 4,
    MaxPool: 1,
    AveragePool: 1,
    GlobalAveragePool: 1,
    GlobalMaxPool: 1,
    Identity: 1,
    Flatten: 1,
    Reshape: 2,
    Transpose: 1,
    Conv: 3,
    Gemm: 3,
    MatMul: 2,
    Add: 2,
    Mul: 2,
    Relu: 1,
    Sigmoid: 1,
    Softmax: 1,
  },
  'com.microsoft': {
    QGemm: 9,
    QLinearAdd: 8,
    QLinearMul: 8,
    QLinearAveragePool: 5,
    QLinearGlobalAveragePool: 5,
    QLinearLeakyRelu: 5,
    QLinearSigmoid: 5,
    QLinearSoftmax: 5,
  },
};

export function checkMaxInputs(node: OnnxNodeView): void {
  const max = MAX_INPUTS[node.domain]?.[node.opType];
  if (max !== undefined && node.inputs.length > max) throw new UserError(`${node.label}: has ${node.inputs.length} inputs; ${node.opType} takes at most ${max}`);
}
