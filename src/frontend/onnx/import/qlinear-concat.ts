/** ONNX importers of the src/ops/qlinear-concat family: com.microsoft.QLinearConcat, Concat (the QDQ form is ../qdq/qlinear-concat.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

export function importQLinearConcat(node: OnnxNodeView, ctx: ImportContext): Node {
  const count = node.inputs.length;
  if (count < 5 || (count - 2) % 3 !== 0) {
    throw new UserError(`${node.label}: needs Y_scale, Y_zero_point and one or more (X, X_scale, X_zero_point) triples, has ${count} inputs`);
  }
  node.requireInputs(count);
  const [yScale, yZero] = node.inputs as [string, string];
  const outType = ctx.zeroPointType(node, yZero);
  const inputs: string[] = [];
  for (let i = 2; i < count; i += 3) {
    const [x, xScale, xZero] = node.inputs.slice(i, i + 3) as [string, string, string];
    if (ctx.zeroPointType(node, xZero) !== outType) throw new UserError(`${node.label}: input '${x}' has a ${ctx.zeroPointType(node, xZero)} zero point but the output is ${outType}`);
    const q = ctx.quantization(node, xScale, xZero, `input ${(i - 2) / 3}`);
    if (q.scale.length !== 1) throw new UserError(`${node.label}: input '${x}' must be quantized per tensor`);
    ctx.annotate(node, x, q);
    inputs.push(x);
  }
  const yQuant = ctx.quantization(node, yScale, yZero, 'output');
  if (yQuant.scale.length !== 1) throw new UserError(`${node.label}: the output must be quantized per tensor`);
  ctx.declareOutput(node.outputs[0]!, outType, yQuant);
  return { name: node.name, op: 'QLinearConcat', inputs, outputs: [node.outputs[0]!], attrs: { axis: node.int('axis', 0), requantize: 1 } };
}

export function importConcat(node: OnnxNodeView, ctx: ImportContext): Node {
  if (!node.has('axis')) throw new UserError(`${node.label}: the axis attribute is required`);
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'QLinearConcat', inputs: node.inputs.filter((i) => i !== ''), outputs: [node.outputs[0]!], attrs: { axis: node.int('axis', 0), requantize: 0 } };
}

export const qlinearConcatImports: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearConcat', import: importQLinearConcat },
  { domain: '', opType: 'Concat', import: importConcat },
];
