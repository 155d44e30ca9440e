/** ONNX importers of the src/ops/pad family: Pad (its QDQ form is ../qdq/pad.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importAxes } from './axes.ts';

const MODES = ['constant', 'reflect', 'edge', 'wrap'];

export function importPadWith(node: OnnxNodeView, ctx: ImportContext, qdq: boolean): Node {
  node.requireInputs(1);
  const mode = node.string('mode', 'constant');
  if (!MODES.includes(mode)) throw new UserError(`${node.label}: mode '${mode}' is not supported (supported: ${MODES.join(', ')})`);
  let pads: number[];
  if (node.input(1) !== '') {
    const t = ctx.constant(node, node.input(1), 'pads');
    if (t.dtype !== 'int64') throw new UserError(`${node.label}: pads must be int64, found ${t.dtype}`);
    pads = Array.from(t.data as BigInt64Array, Number);
  } else if (node.has('pads') || node.has('paddings')) {
    pads = node.has('pads') ? node.ints('pads', []) : node.ints('paddings', []);
  } else {
    throw new UserError(`${node.label}: pads are required`);
  }
  const value = node.input(2);
  if (value !== '') {
    const t = ctx.constant(node, value, 'constant_value');
    if (t.data!.length !== 1) throw new UserError(`${node.label}: constant_value must hold one value`);
  }
  const axes = importAxes(node, ctx, 3);
  const x = node.input(0);
  if (qdq && !ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  if (!qdq) ctx.declareOutput(node.outputs[0]!);
  return {
    name: node.name,
    op: 'Pad',
    inputs: [x, value],
    outputs: [node.outputs[0]!],
    attrs: { mode, pads, ...(axes ? { axes } : {}), value: node.float('value', 0), qdq: qdq ? 1 : 0 },
  };
}

export const importPad = (node: OnnxNodeView, ctx: ImportContext) => importPadWith(node, ctx, false);

export const padImports: OnnxImport[] = [
  { domain: '', opType: 'Pad', import: importPad },
];
