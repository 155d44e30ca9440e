/** ONNX importers of the src/ops/float-elementwise family: Add (float), Sub (float), Mul (float), Div (float). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { FloatBinaryOp } from '../../../ops/float-elementwise/definition.ts';

export function importFloatBinary(op: FloatBinaryOp) {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    node.requireInputs(2);
    if (node.has('axis') || node.has('broadcast')) throw new UserError(`${node.label}: the legacy broadcast/axis attributes (opset < 7) are not supported`);
    ctx.declareOutput(node.outputs[0]!);
    return { name: node.name, op, inputs: [node.input(0), node.input(1)], outputs: [node.outputs[0]!], attrs: {} };
  };
}

const ONNX_OPS: [FloatBinaryOp, string][] = [
  ['FloatAdd', 'Add'],
  ['FloatSub', 'Sub'],
  ['FloatMul', 'Mul'],
  ['FloatDiv', 'Div'],
];

export const floatElementwiseImports: OnnxImport[] = ONNX_OPS.map(([op, opType]) => ({ domain: '', opType, form: 'float', import: importFloatBinary(op) }));
