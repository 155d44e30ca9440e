/** The QDQ form of the src/ops/qlinear-mul family: Mul (qdq). */
import type { OnnxImport } from '../import-context.ts';
import { importQdqBinary } from './qlinear-binary.ts';

export const qlinearMulQdqImports: OnnxImport[] = [{ domain: '', opType: 'Mul', form: 'qdq', import: importQdqBinary('QLinearMul') }];
