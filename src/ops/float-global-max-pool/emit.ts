import { emitFloatGlobalPool } from '../float-global-average-pool/emit.ts';

export const emitFloatGlobalMaxPool = emitFloatGlobalPool('tg_float_global_maxpool_f32');
