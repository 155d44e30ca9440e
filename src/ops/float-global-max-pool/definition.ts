/**
 * FloatGlobalMaxPool: ONNX GlobalMaxPool on a float32 [N, C, spatial...] tensor (at least one
 * spatial axis; geometry shared with FloatGlobalAveragePool). Per plane: the largest element,
 * from -infinity in storage order, an element replacing it only when greater (NaN never wins).
 */
export { inferFloatGlobalPool, prepareFloatGlobalPool, type FloatGlobalPoolParams } from '../float-global-average-pool/definition.ts';

