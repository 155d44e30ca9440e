/** Identity: a view; the planner lets it share storage, so it usually costs nothing. */
import { tensorOf } from '../../ir/graph.ts';
import type { OpDefinition } from '../op.ts';
import { emitView, referenceView, viewOutput } from '../common/view.ts';

export const identity: OpDefinition = {
  op: 'Identity',
  summary: 'view: output is the input',
  onnx: [
    {
      domain: '',
      opType: 'Identity',
      import(node, ctx) {
        node.requireInputs(1);
        ctx.declareOutput(node.outputs[0]!);
        return { name: node.name, op: 'Identity', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: {} };
      },
    },
  ],
  layout: 'any',
  view: () => true,
  infer: (node, graph) => viewOutput(graph, node, [...tensorOf(graph, node.inputs[0]!).shape]),
  prepare() {},
  reference: referenceView,
  emit: emitView,
};
