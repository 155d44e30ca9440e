/**
 * The op registry: every IR operator tinygen knows, in one explicit list. Each entry comes from
 * its own folder with its definition, reference semantics and C emission. The frontends map their
 * formats onto these ops (ONNX: src/frontend/onnx/registry.ts).
 */
import type { RegisteredOp } from './op.ts';
import { qlinearConv } from './qlinear-conv/index.ts';
import { conv16x8 } from './conv-16x8/index.ts';
import { qlinearMatMul } from './qlinear-matmul/index.ts';
import { qgemm } from './qgemm/index.ts';
import { matMulInteger } from './matmul-integer/index.ts';
import { convInteger } from './conv-integer/index.ts';
import { maxPool } from './max-pool/index.ts';
import { quantizeLinear } from './quantize-linear/index.ts';
import { dequantizeLinear } from './dequantize-linear/index.ts';
import { identity } from './identity/index.ts';
import { flatten } from './flatten/index.ts';
import { reshape } from './reshape/index.ts';
import { transpose } from './transpose/index.ts';
import { stridedSlice } from './strided-slice/index.ts';
import { convertUint8 } from './convert-uint8/index.ts';
import { clamp } from './clamp/index.ts';
import { qlinearAveragePool } from './qlinear-average-pool/index.ts';
import { qlinearGlobalAveragePool } from './qlinear-global-average-pool/index.ts';
import { qlinearReduceMean } from './qlinear-reduce-mean/index.ts';
import { qlinearConcat } from './qlinear-concat/index.ts';
import { pad } from './pad/index.ts';
import { resize } from './resize/index.ts';
import { squeeze } from './squeeze/index.ts';
import { unsqueeze } from './unsqueeze/index.ts';
import { qlinearAdd } from './qlinear-add/index.ts';
import { residualRows } from './residual-rows/index.ts';
import { convRowsGemm } from './conv-rows-gemm/index.ts';
import { convChainRows } from './conv-chain-rows/index.ts';
import { qlinearMul } from './qlinear-mul/index.ts';
import { qlinearLookup } from './qlinear-lookup/index.ts';
import { qlinearSoftmax } from './qlinear-softmax/index.ts';
import { tfliteSoftmax } from './tflite-softmax/index.ts';
import { tfliteLogistic, tfliteTanh } from './tflite-activation/index.ts';
import { tfliteLeakyRelu } from './tflite-leaky-relu/index.ts';
import { tfliteSub } from './tflite-sub/index.ts';
import { tfliteRequantize } from './tflite-requantize/index.ts';
import { tfliteHardSwish } from './tflite-hard-swish/index.ts';
import { tfliteTransposeConv } from './tflite-transpose-conv/index.ts';
import { floatAdd, floatDiv, floatMul, floatSub } from './float-elementwise/index.ts';
import { floatClip, floatHardSigmoid, floatHardSwish, floatLeakyRelu, floatRelu, floatSigmoid, floatTanh } from './float-activation/index.ts';
import { floatSoftmax } from './float-softmax/index.ts';
import { floatConv } from './float-conv/index.ts';
import { floatGemm } from './float-gemm/index.ts';
import { floatMatMul } from './float-matmul/index.ts';
import { floatAveragePool } from './float-average-pool/index.ts';
import { floatMaxPool } from './float-max-pool/index.ts';
import { floatGlobalAveragePool } from './float-global-average-pool/index.ts';
import { floatGlobalMaxPool } from './float-global-max-pool/index.ts';
import { floatReduceMean } from './float-reduce-mean/index.ts';

export const OPS: readonly RegisteredOp[] = [
  qlinearConv,
  conv16x8,
  qlinearMatMul,
  qgemm,
  matMulInteger,
  convInteger,
  maxPool,
  quantizeLinear,
  dequantizeLinear,
  identity,
  flatten,
  reshape,
  transpose,
  stridedSlice,
  convertUint8,
  clamp,
  qlinearAveragePool,
  qlinearGlobalAveragePool,
  qlinearReduceMean,
  qlinearConcat,
  pad,
  resize,
  squeeze,
  unsqueeze,
  qlinearAdd,
  residualRows,
  convRowsGemm,
  convChainRows,
  qlinearMul,
  qlinearLookup,
  qlinearSoftmax,
  tfliteSoftmax,
  tfliteLogistic,
  tfliteTanh,
  tfliteLeakyRelu,
  tfliteSub,
  tfliteRequantize,
  tfliteHardSwish,
  tfliteTransposeConv,
  floatAdd,
  floatSub,
  floatMul,
  floatDiv,
  floatRelu,
  floatClip,
  floatLeakyRelu,
  floatHardSigmoid,
  floatHardSwish,
  floatSigmoid,
  floatTanh,
  floatSoftmax,
  floatConv,
  floatGemm,
  floatMatMul,
  floatAveragePool,
  floatMaxPool,
  floatGlobalAveragePool,
  floatGlobalMaxPool,
  floatReduceMean,
];

const byName = new Map(OPS.map((op) => [op.op, op]));

export function opDefinition(op: string): RegisteredOp {
  const def = byName.get(op);
  if (!def) throw new Error(`internal: op '${op}' is not registered`);
  return def;
}
