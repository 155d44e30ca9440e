/**
 * Unsqueeze: a view that inserts size-1 axes at the given positions of the output.
 * Axes come from the attribute (opset < 13) or a constant input (opset >= 13).
 */
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OnnxImport, OpDefinition } from '../op.ts';
import { importAxes, normalizeAxes } from '../common/axes.ts';
import { emitQdqView, isView, prepareView, qdqForm, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

const importUnsqueeze: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  const axes = importAxes(node, ctx, 1);
  if (!axes) throw new UserError(`${node.label}: axes are required`);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Unsqueeze', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: { axes } };
};

export const unsqueeze: OpDefinition = {
  op: 'Unsqueeze',
  summary: 'view: insert size-1 axes',
  onnx: [
    { domain: '', opType: 'Unsqueeze', import: importUnsqueeze },
    { domain: '', opType: 'Unsqueeze', form: 'qdq', import: qdqForm(importUnsqueeze) },
  ],
  layout: 'logical',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const inShape = tensorOf(graph, node.inputs[0]!).shape;
    const given = node.attrs.axes as number[];
    const rank = inShape.length + given.length;
    const axes = normalizeAxes(`node '${node.name}' (Unsqueeze)`, given, rank);
    const rest = [...inShape];
    const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
    return viewInfo(graph, node, shape);
  },
  prepare: prepareView,
  reference: referenceQdqView,
  emit: emitQdqView,
};
