/** ONNX importers of the src/ops/float-global-max-pool family: GlobalMaxPool (float). */
import { importFloatGlobalPool } from './float-global-average-pool.ts';
import type { OnnxImport } from '../import-context.ts';

export const importFloatGlobalMaxPool = importFloatGlobalPool('FloatGlobalMaxPool');

export const floatGlobalMaxPoolImports: OnnxImport[] = [{ domain: '', opType: 'GlobalMaxPool', form: 'float', import: importFloatGlobalMaxPool }];
