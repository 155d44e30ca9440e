/** The QDQ form of the src/ops/qlinear-add family: Add (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { importQdqBinary } from './qlinear-binary.ts';

export const qlinearAddQdqImports: OnnxImport[] = [{ domain: '', opType: 'Add', form: 'qdq', import: importQdqBinary('QLinearAdd') }];
