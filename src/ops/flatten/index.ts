/** Flatten: a view to 2-D [prod(dims < axis), prod(dims >= axis)]. */
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp } from '../op.ts';
import { emitQdqView, isView, prepareView, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

export const flatten = defineOp({
  op: 'Flatten',
  summary: 'view: collapse to 2-D around axis',
  layout: 'fixed',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const raw = node.attrs.axis as number;
    const axis = raw < 0 ? raw + shape.length : raw;
    if (axis < 0 || axis > shape.length) throw new UserError(`node '${node.name}' (Flatten): axis ${raw} is out of range for rank ${shape.length}`);
    return viewInfo(graph, node, [elementCount(shape.slice(0, axis)), elementCount(shape.slice(axis))]);
  },
  prepare: prepareView,
  reference: referenceQdqView,
  emit: emitQdqView,
});
