/** ONNX importers of the src/ops/qlinear-mul family: com.microsoft.QLinearMul, Mul (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { importQLinearBinary, importQdqBinary } from './qlinear-binary.ts';

export const qlinearMulImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearMul', import: importQLinearBinary('QLinearMul') },
  { domain: '', opType: 'Mul', form: 'qdq', import: importQdqBinary('QLinearMul') },
];
