import type { OpDefinition } from '../op.ts';
import { importFloatGemm, inferFloatGemm, prepareFloatGemm } from './definition.ts';
import { referenceFloatGemm } from './reference.ts';
import { emitFloatGemm } from './emit.ts';

export const floatGemm: OpDefinition = {
  op: 'FloatGemm',
  summary: 'float32 Gemm: alpha, beta, transA, transB, optional C broadcast to [M, N]; any operand constant or not',
  onnx: [{ domain: '', opType: 'Gemm', form: 'float', import: importFloatGemm }],
  layout: 'logical',
  infer: inferFloatGemm,
  prepare: prepareFloatGemm,
  reference: referenceFloatGemm,
  emit: emitFloatGemm,
};
