/** Reshape: a view to a constant target shape (0 copies a dimension unless allowzero, -1 infers one). */
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { defineOp } from '../op.ts';
import { emitQdqView, isView, prepareView, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

export const reshape = defineOp({
  op: 'Reshape',
  summary: 'view: new shape from a constant',
  layout: 'fixed',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer(node, graph) {
    const inShape = tensorOf(graph, node.inputs[0]!).shape;
    const fail = (why: string): never => {
      throw new UserError(`node '${node.name}' (Reshape): cannot reshape [${inShape}] to [${node.attrs.shape}]: ${why}`);
    };
    const shape = (node.attrs.shape as number[]).map((d, i) => (d === 0 && node.attrs.allowzero === 0 ? (inShape[i] ?? fail('0 copies a missing dimension')) : d));
    const unknown = shape.filter((d) => d === -1).length;
    if (unknown > 1) fail('more than one -1');
    const known = elementCount(shape.filter((d) => d !== -1));
    const total = elementCount(inShape);
    if (unknown === 1) {
      if (known === 0 || total % known !== 0) fail('sizes do not divide');
      shape[shape.indexOf(-1)] = total / known;
    }
    if (elementCount(shape) !== total || shape.some((d) => d < 0)) fail('element counts differ');
    return viewInfo(graph, node, shape);
  },
  prepare: prepareView,
  reference: referenceQdqView,
  emit: emitQdqView,
});
