/**
 * Unsqueeze: a view that inserts size-1 axes at the given positions of the output.
 * Axes come from the attribute (opset < 13) or a constant input (opset >= 13).
 */
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp } from '../op.ts';
import { normalizeAxes } from '../common/axes.ts';
import { emitQdqView, isView, prepareView, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

export const unsqueeze = defineOp({
  op: 'Unsqueeze',
  summary: 'view: insert size-1 axes',
  layout: 'fixed',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const inShape = tensorOf(graph, node.inputs[0]!).shape;
    // The ONNX frontend's lift of a 1-D window (attrs.lift_of) is where that op's input rank shows.
    if (node.attrs.lift_of !== undefined && inShape.length !== 3) {
      throw new UserError(`${String(node.attrs.lift_of)}: input must be 3-D for its 1-D window, got [${inShape}]`);
    }
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
});
