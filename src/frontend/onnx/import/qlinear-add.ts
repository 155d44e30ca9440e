/** ONNX importers of the src/ops/qlinear-add family: com.microsoft.QLinearAdd (the QDQ form is ../qdq/qlinear-add.ts). */
import type { OnnxImport } from '../import-context.ts';
import { importQLinearBinary } from './qlinear-binary.ts';

export const qlinearAddImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearAdd', import: importQLinearBinary('QLinearAdd') },
];
