/** Flatten: a view to 2-D [prod(dims < axis), prod(dims >= axis)]. */
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OnnxImport, OpDefinition } from '../op.ts';
import { emitQdqView, isView, prepareView, qdqForm, referenceQdqView, viewInfo } from '../common/qdq-view.ts';

const importFlatten: OnnxImport['import'] = (node, ctx) => {
  node.requireInputs(1);
  ctx.declareOutput(node.outputs[0]!);
  return { name: node.name, op: 'Flatten', inputs: [node.input(0)], outputs: [node.outputs[0]!], attrs: { axis: node.int('axis', 1) } };
};

export const flatten: OpDefinition = {
  op: 'Flatten',
  summary: 'view: collapse to 2-D around axis',
  onnx: [
    { domain: '', opType: 'Flatten', import: importFlatten },
    { domain: '', opType: 'Flatten', form: 'qdq', import: qdqForm(importFlatten) },
  ],
  layout: 'logical',
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
};
