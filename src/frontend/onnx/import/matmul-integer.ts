/** ONNX importers of the src/ops/matmul-integer family: MatMulInteger. */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importZeroPointInput } from './zero-point-inputs.ts';

export function importMatMulInteger(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [a, b] = node.inputs as [string, string];
  ctx.constant(node, b, 'B (weights)');
  const aZero = importZeroPointInput(node, ctx, 2, 'A');
  const bZero = importZeroPointInput(node, ctx, 3, 'B');
  ctx.declareOutput(node.outputs[0]!, 'int32');
  return { name: node.name, op: 'MatMulInteger', inputs: [a, b, aZero, bZero], outputs: [node.outputs[0]!], attrs: {} };
}

export const matmulIntegerImports: OnnxImport[] = [{ domain: '', opType: 'MatMulInteger', import: importMatMulInteger }];
