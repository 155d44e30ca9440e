/** QuantizeLinear: float32 → int8/uint8, per tensor or per axis, as ONNX Runtime does it. */
import type { DType, Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { ImportContext, OnnxNodeView } from '../../frontend/onnx/import-context.ts';
import { dtypeFromOnnx } from '../../frontend/onnx/tensor-proto.ts';
import type { OutputInfo } from '../op.ts';
import { affineParams } from '../common/affine.ts';
import { quantOf, requireDtype } from '../common/values.ts';

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
  if (dtype !== 'int8' && dtype !== 'uint8') throw new UserError(`${node.label}: output type ${dtype} is not supported (int8, uint8)`);
  ctx.declareOutput(node.outputs[0]!, dtype, quant);
  return { name: node.name, op: 'QuantizeLinear', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
}

/** Checks a per-axis quantization against the tensor it describes. */
export function checkAffineAxis(node: Node, shape: readonly number[], scales: number, axis: number | undefined): void {
  if (scales === 1) return;
  const a = axis === undefined ? 1 : axis < 0 ? axis + shape.length : axis;
  if (a < 0 || a >= shape.length || shape[a] !== scales) {
    throw new UserError(`node '${node.name}' (${node.op}): ${scales} scales do not match axis ${axis} of shape [${shape}]`);
  }
}

export function inferQuantizeLinear(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['float32'], 'input');
  const q = quantOf(graph, node, node.outputs[0]!, 'output');
  checkAffineAxis(node, x.shape, q.scale.length, q.axis);
  return [{ shape: [...x.shape] }];
}

export function prepareAffine(node: Node, graph: Graph, quantTensor: string): void {
  node.params = affineParams(tensorOf(graph, node.inputs[0]!).shape, quantOf(graph, node, quantTensor, 'quantized side'));
}
