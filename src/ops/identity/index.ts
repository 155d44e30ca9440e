/** Identity: a view; the planner lets it share storage, so it usually costs nothing. */
import { tensorOf } from '../../ir/graph.ts';
import { defineOp } from '../op.ts';
import { emitQdqView, isView, prepareView, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

export const identity = defineOp({
  op: 'Identity',
  summary: 'view: output is the input',
  layout: 'any',
  view: isView,
  // When it is not a view it is a requantizing copy: tg_requant_copy_s8 reads input[i] before it writes output[i].
  inPlace: () => [0],
  infer: (node, graph) => viewInfo(graph, node, [...tensorOf(graph, node.inputs[0]!).shape]),
  prepare: prepareView,
  reference: referenceQdqView,
  emit: emitQdqView,
});
