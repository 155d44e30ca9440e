/** ONNX importers of the src/ops/float-average-pool family: AveragePool (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importFloatWindowAttrs } from './float-window.ts';

export function importFloatAveragePool(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!, 'float32');
  return {
    name: node.name,
    op: 'FloatAveragePool',
    inputs: [node.input(0)],
    outputs: [node.outputs[0]!],
    attrs: { ...importFloatWindowAttrs(node), count_include_pad: node.int('count_include_pad', 0) ? 1 : 0 },
  };
}

export const floatAveragePoolImports: OnnxImport[] = [{ domain: '', opType: 'AveragePool', form: 'float', import: importFloatAveragePool }];
