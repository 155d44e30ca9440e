/** ONNX importers of the src/ops/quantize-linear family: QuantizeLinear. */
import type { DType, Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { dtypeFromOnnx } from '../tensor-proto.ts';

/** Reads (scale, zero point, axis) and checks the block_size extension is not in use. */
export function importAffine(node: OnnxNodeView, ctx: ImportContext, role: string) {
  node.requireInputs(2);
  if (node.int('block_size', 0) !== 0) throw new UserError(`${node.label}: blocked quantization (block_size) is not supported`);
  const scale = ctx.constant(node, node.input(1), `${role} scale`);
  const axis = scale.data!.length > 1 ? node.int('axis', 1) : undefined;
  return ctx.quantization(node, node.input(1), node.input(2), role, axis);
}

export function importQuantizeLinear(node: OnnxNodeView, ctx: ImportContext): Node {
  const quant = importAffine(node, ctx, 'output');
  const outputDtypeCode = node.int('output_dtype', 0);
  const dtype: DType = node.input(2) !== '' ? ctx.zeroPointType(node, node.input(2)) : outputDtypeCode ? dtypeFromOnnx(outputDtypeCode, node.label) : 'uint8';
  if (dtype !== 'int8' && dtype !== 'uint8' && dtype !== 'int16') throw new UserError(`${node.label}: output type ${dtype} is not supported (int8, uint8, int16)`);
  ctx.declareOutput(node.outputs[0]!, dtype, quant);
  return { name: node.name, op: 'QuantizeLinear', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
}

export const quantizeLinearImports: OnnxImport[] = [{ domain: '', opType: 'QuantizeLinear', import: importQuantizeLinear }];
