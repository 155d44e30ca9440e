/** ONNX importers of the src/ops/dequantize-linear family: DequantizeLinear. */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importAffine } from './quantize-linear.ts';

export function importDequantizeLinear(node: OnnxNodeView, ctx: ImportContext): Node {
  const quant = importAffine(node, ctx, 'input');
  ctx.annotate(node, node.input(0), quant);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return { name: node.name, op: 'DequantizeLinear', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
}

export const dequantizeLinearImports: OnnxImport[] = [{ domain: '', opType: 'DequantizeLinear', import: importDequantizeLinear }];
