/** DequantizeLinear: int8/uint8 → float32, per tensor or per axis. */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { ImportContext, OnnxNodeView } from '../../frontend/onnx/import-context.ts';
import type { OutputInfo } from '../op.ts';
import { checkAffineAxis, importAffine } from '../quantize-linear/definition.ts';
import { quantOf, requireDtype } from '../common/values.ts';

export function importDequantizeLinear(node: OnnxNodeView, ctx: ImportContext): Node {
  const quant = importAffine(node, ctx, 'input');
  ctx.annotate(node, node.input(0), quant);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return { name: node.name, op: 'DequantizeLinear', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
}

export function inferDequantizeLinear(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  const q = quantOf(graph, node, x.name, 'input');
  checkAffineAxis(node, x.shape, q.scale.length, q.axis);
  return [{ shape: [...x.shape] }];
}
