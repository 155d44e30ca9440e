/** ONNX importers of the src/ops/qlinear-add family: com.microsoft.QLinearAdd, Add (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { importQLinearBinary, importQdqBinary } from './qlinear-binary.ts';

export const qlinearAddImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearAdd', import: importQLinearBinary('QLinearAdd') },
  { domain: '', opType: 'Add', form: 'qdq', import: importQdqBinary('QLinearAdd') },
];
