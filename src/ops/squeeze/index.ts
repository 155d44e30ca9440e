/**
 * Squeeze: a view that drops size-1 axes (the listed ones, or every one when no axes are given).
 * Axes come from the attribute (opset < 13) or a constant input (opset >= 13).
 */
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp } from '../op.ts';
import { normalizeAxes } from '../common/axes.ts';
import { emitQdqView, isView, prepareView, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

export const squeeze = defineOp({
  op: 'Squeeze',
  summary: 'view: drop size-1 axes',
  layout: 'fixed',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const label = `node '${node.name}' (Squeeze)`;
    const given = node.attrs.axes as number[] | undefined;
    const axes = given ? normalizeAxes(label, given, shape.length) : shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of axes) if (shape[a] !== 1) throw new UserError(`${label}: axis ${a} has size ${shape[a]}, not 1, in [${shape}]`);
    return viewInfo(graph, node, shape.filter((_, i) => !axes.includes(i)));
  },
  prepare: prepareView,
  reference: referenceQdqView,
  emit: emitQdqView,
});
