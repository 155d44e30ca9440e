/**
 * QLinearLookup: an elementwise int8 → int8 function through a 256-entry table computed at compile
 * time (table.ts) from the input's and output's quantization and a real function (functions.ts).
 *
 * IR: inputs [x], outputs [y], both quantized per tensor; attrs.function names the function,
 * attrs.alpha / beta / min / max hold its parameters. Imported from com.microsoft QLinearSigmoid
 * and QLinearLeakyRelu (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?), and in the 'qdq' form
 * from Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Relu and Clip.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf, requireDtype } from '../common/values.ts';
import { LOOKUP_FUNCTIONS, type LookupFunction, type LookupParams } from './functions.ts';
import { lookupTable } from './table.ts';

export interface LookupNodeParams {
  /** table[q + 128]: the output for the int8 input q. */
  table: Int8Array;
}

export function inferQLinearLookup(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8'], 'input');
  if (!LOOKUP_FUNCTIONS.includes(node.attrs.function as LookupFunction)) {
    throw new Error(`internal: QLinearLookup function '${String(node.attrs.function)}'`);
  }
  const y = tensorOf(graph, node.outputs[0]!);
  for (const [t, role] of [[x, 'input'], [y, 'output']] as const) {
    if (!t.quant) throw new UserError(`node '${node.name}' (${node.op}): the ${role} '${t.name}' has no quantization`);
    if (t.quant.scale.length !== 1) throw new UserError(`node '${node.name}' (${node.op}): the ${role} '${t.name}' must be quantized per tensor`);
  }
  if (node.attrs.zero_point_type !== undefined && node.attrs.zero_point_type !== x.dtype) {
    throw new UserError(`node '${node.name}' (${node.op}): the zero points are ${String(node.attrs.zero_point_type)} but X is ${x.dtype}`);
  }
  // QOperator: the output has X's type. QDQ: the QuantizeLinear's, as the fusion declared it.
  if (node.attrs.qdq) requireDtype(node, y, ['int8', 'uint8'], 'output');
  return [{ shape: [...x.shape], ...(node.attrs.qdq ? {} : { dtype: x.dtype }) }];
}

export function lookupParams(node: Node): LookupParams {
  const num = (key: string) => (typeof node.attrs[key] === 'number' ? (node.attrs[key] as number) : undefined);
  return { alpha: num('alpha'), beta: num('beta'), min: num('min'), max: num('max') };
}

export function prepareQLinearLookup(node: Node, graph: Graph, options: CompileOptions): LookupNodeParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  requireDtype(node, x, ['int8'], 'input');
  requireDtype(node, y, ['int8'], 'output');
  const xq = quantOf(graph, node, x.name, 'input');
  const yq = quantOf(graph, node, y.name, 'output');
  const table = lookupTable(
    options.rounding,
    node.attrs.function as LookupFunction,
    lookupParams(node),
    { scale: xq.scale[0]!, zeroPoint: xq.zeroPoint[0]! },
    { scale: yq.scale[0]!, zeroPoint: yq.zeroPoint[0]! },
  );
  // A Relu or Clip folded in by the activation-fusion pass narrows every entry.
  const [lo, hi] = activationRange(node, graph);
  for (let i = 0; i < 256; i++) table[i] = Math.min(hi, Math.max(lo, table[i]!));
  const params: LookupNodeParams = { table };
  return params;
}
