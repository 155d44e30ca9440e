/** ONNX importers of the src/ops/qlinear-mul family: com.microsoft.QLinearMul (the QDQ form is ../qdq/qlinear-mul.ts). */
import type { OnnxImport } from '../import-context.ts';
import { importQLinearBinary } from './qlinear-binary.ts';

export const qlinearMulImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearMul', import: importQLinearBinary('QLinearMul') },
];
