/**
 * The ONNX importers: which (domain, op_type) in which form becomes which IR op. The QOperator
 * and float forms are one file per op family in ./import; the QDQ forms (the float op at the
 * centre of a DequantizeLinear → op → QuantizeLinear pattern that ./qdq/fuse.ts finds) are one
 * file per op family in ./qdq. The IR ops themselves are src/ops/registry.ts, which knows nothing
 * of ONNX.
 */
import type { OnnxImport } from './import-context.ts';
import { qlinearConvImports } from './import/qlinear-conv.ts';
import { qlinearConvQdqImports } from './qdq/qlinear-conv.ts';
import { qlinearMatmulImports } from './import/qlinear-matmul.ts';
import { qlinearMatmulQdqImports } from './qdq/qlinear-matmul.ts';
import { qgemmImports } from './import/qgemm.ts';
import { qgemmQdqImports } from './qdq/qgemm.ts';
import { matmulIntegerImports } from './import/matmul-integer.ts';
import { convIntegerImports } from './import/conv-integer.ts';
import { maxPoolImports } from './import/max-pool.ts';
import { maxPoolQdqImports } from './qdq/max-pool.ts';
import { quantizeLinearImports } from './import/quantize-linear.ts';
import { dequantizeLinearImports } from './import/dequantize-linear.ts';
import { identityImports } from './import/identity.ts';
import { flattenImports } from './import/flatten.ts';
import { reshapeImports } from './import/reshape.ts';
import { transposeImports } from './import/transpose.ts';
import { qlinearAveragePoolImports } from './import/qlinear-average-pool.ts';
import { qlinearAveragePoolQdqImports } from './qdq/qlinear-average-pool.ts';
import { qlinearGlobalAveragePoolImports } from './import/qlinear-global-average-pool.ts';
import { qlinearGlobalAveragePoolQdqImports } from './qdq/qlinear-global-average-pool.ts';
import { qlinearReduceMeanQdqImports } from './qdq/qlinear-reduce-mean.ts';
import { qlinearConcatImports } from './import/qlinear-concat.ts';
import { qlinearConcatQdqImports } from './qdq/qlinear-concat.ts';
import { padImports } from './import/pad.ts';
import { padQdqImports } from './qdq/pad.ts';
import { resizeImports } from './import/resize.ts';
import { resizeQdqImports } from './qdq/resize.ts';
import { squeezeImports } from './import/squeeze.ts';
import { unsqueezeImports } from './import/unsqueeze.ts';
import { qlinearAddImports } from './import/qlinear-add.ts';
import { qlinearAddQdqImports } from './qdq/qlinear-add.ts';
import { qlinearMulImports } from './import/qlinear-mul.ts';
import { qlinearMulQdqImports } from './qdq/qlinear-mul.ts';
import { qlinearLookupImports } from './import/qlinear-lookup.ts';
import { qlinearLookupQdqImports } from './qdq/qlinear-lookup.ts';
import { qlinearSoftmaxImports } from './import/qlinear-softmax.ts';
import { qlinearSoftmaxQdqImports } from './qdq/qlinear-softmax.ts';
import { floatElementwiseImports } from './import/float-elementwise.ts';
import { floatActivationImports } from './import/float-activation.ts';
import { floatSoftmaxImports } from './import/float-softmax.ts';
import { floatConvImports } from './import/float-conv.ts';
import { floatGemmImports } from './import/float-gemm.ts';
import { floatMatmulImports } from './import/float-matmul.ts';
import { floatAveragePoolImports } from './import/float-average-pool.ts';
import { floatMaxPoolImports } from './import/float-max-pool.ts';
import { floatGlobalAveragePoolImports } from './import/float-global-average-pool.ts';
import { floatGlobalMaxPoolImports } from './import/float-global-max-pool.ts';
import { floatReduceMeanImports } from './import/float-reduce-mean.ts';

export const ONNX_IMPORTS: readonly OnnxImport[] = [
  ...qlinearConvImports,
  ...qlinearConvQdqImports,
  ...qlinearMatmulImports,
  ...qlinearMatmulQdqImports,
  ...qgemmImports,
  ...qgemmQdqImports,
  ...matmulIntegerImports,
  ...convIntegerImports,
  ...maxPoolImports,
  ...maxPoolQdqImports,
  ...quantizeLinearImports,
  ...dequantizeLinearImports,
  ...identityImports,
  ...flattenImports,
  ...reshapeImports,
  ...transposeImports,
  ...qlinearAveragePoolImports,
  ...qlinearAveragePoolQdqImports,
  ...qlinearGlobalAveragePoolImports,
  ...qlinearGlobalAveragePoolQdqImports,
  ...qlinearReduceMeanQdqImports,
  ...qlinearConcatImports,
  ...qlinearConcatQdqImports,
  ...padImports,
  ...padQdqImports,
  ...resizeImports,
  ...resizeQdqImports,
  ...squeezeImports,
  ...unsqueezeImports,
  ...qlinearAddImports,
  ...qlinearAddQdqImports,
  ...qlinearMulImports,
  ...qlinearMulQdqImports,
  ...qlinearLookupImports,
  ...qlinearLookupQdqImports,
  ...qlinearSoftmaxImports,
  ...qlinearSoftmaxQdqImports,
  ...floatElementwiseImports,
  ...floatActivationImports,
  ...floatSoftmaxImports,
  ...floatConvImports,
  ...floatGemmImports,
  ...floatMatmulImports,
  ...floatAveragePoolImports,
  ...floatMaxPoolImports,
  ...floatGlobalAveragePoolImports,
  ...floatGlobalMaxPoolImports,
  ...floatReduceMeanImports,
];

type ImportForm = NonNullable<OnnxImport['form']>;
const importKey = (form: ImportForm, domain: string, opType: string) => `${form}:${domain}:${opType}`;
const onnxImports = new Map<string, OnnxImport>(ONNX_IMPORTS.map((imp) => [importKey(imp.form ?? 'qoperator', imp.domain, imp.opType), imp] as const));

/** The importer of an ONNX node as it stands in the model (QOperator ops, quantize/dequantize, views). */
export function findOnnxImport(domain: string, opType: string): OnnxImport | undefined {
  return onnxImports.get(importKey('qoperator', domain, opType));
}

/** The importer of a float op at the centre of a DequantizeLinear → op → QuantizeLinear pattern. */
export function findQdqImport(domain: string, opType: string): OnnxImport | undefined {
  return onnxImports.get(importKey('qdq', domain, opType));
}

const opLabel = (imp: OnnxImport) => (imp.domain ? `${imp.domain}.${imp.opType}` : imp.opType);

/** The importer of a float32 op, used only when float ops are allowed. */
export function findFloatImport(domain: string, opType: string): OnnxImport | undefined {
  return onnxImports.get(importKey('float', domain, opType));
}

/** Ops accepted as they stand, for error messages. */
export function supportedOnnxOps(): string[] {
  return [...new Set(ONNX_IMPORTS.filter((imp) => (imp.form ?? 'qoperator') === 'qoperator').map(opLabel))].sort();
}

/** Float ops accepted between DequantizeLinear and QuantizeLinear. */
export function supportedQdqOps(): string[] {
  return [...new Set(ONNX_IMPORTS.filter((imp) => imp.form === 'qdq').map(opLabel))].sort();
}
