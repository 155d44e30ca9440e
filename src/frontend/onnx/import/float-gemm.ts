/** ONNX importers of the src/ops/float-gemm family: Gemm (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importFloatGemm(node: OnnxNodeView, ctx: ImportContext): Node {
  const opset = ctx.opset('') ?? 13;
  node.requireInputs(opset < 11 ? 3 : 2);
  const c = node.input(2);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return {
    name: node.name,
    op: 'FloatGemm',
    inputs: c === '' ? [node.inputs[0]!, node.inputs[1]!] : [node.inputs[0]!, node.inputs[1]!, c],
    outputs: [node.outputs[0]!],
    attrs: {
      alpha: node.float('alpha', 1),
      beta: node.float('beta', 1),
      trans_a: node.int('transA', 0),
      trans_b: node.int('transB', 0),
    },
  };
}

export const floatGemmImports: OnnxImport[] = [{ domain: '', opType: 'Gemm', form: 'float', import: importFloatGemm }];
