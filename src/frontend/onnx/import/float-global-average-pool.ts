/** ONNX importers of the src/ops/float-global-average-pool family: GlobalAveragePool (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

/** The IR node of a Global*Pool import (one input, one output, no attributes). */
export function importFloatGlobalPool(op: string) {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    node.requireInputs(1);
    ctx.declareOutput(node.outputs[0]!, 'float32');
    return { name: node.name, op, inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
  };
}

export const importFloatGlobalAveragePool = importFloatGlobalPool('FloatGlobalAveragePool');

export const floatGlobalAveragePoolImports: OnnxImport[] = [{ domain: '', opType: 'GlobalAveragePool', form: 'float', import: importFloatGlobalAveragePool }];
