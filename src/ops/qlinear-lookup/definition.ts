/**
 * QLinearLookup: an elementwise int8 → int8 function through a 256-entry table computed at compile
 * time (table.ts) from the input's and output's quantization and a real function (functions.ts).
 *
 * IR: inputs [x], outputs [y], both quantized per tensor; attrs.function names the function,
 * attrs.alpha / beta / min / max hold its parameters. Imported from com.microsoft QLinearSigmoid
 * and QLinearLeakyRelu (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?), and in the 'qdq' form
 * from Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu, Relu and Clip.
 */
import type { AttrValue, Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { importUnaryQLinearIo } from '../../frontend/onnx/import/qoperator-unary.ts';
import type { ImportContext, OnnxNodeView } from '../../frontend/onnx/import-context.ts';
import type { CompileOptions, OnnxImport, OutputInfo } from '../op.ts';
import { activationRange } from '../common/activation.ts';
import { quantOf, requireDtype } from '../common/values.ts';
import { LOOKUP_FUNCTIONS, type LookupFunction, type LookupParams } from './functions.ts';
import { lookupTable } from './table.ts';

const FLOAT_MAX = 3.4028234663852886e38;

export interface LookupNodeParams {
  /** table[q + 128]: the output for the int8 input q. */
  table: Int8Array;
}

function lookupNode(node: OnnxNodeView, input: string, fn: LookupFunction, params: LookupParams, qdq: boolean): Node {
  const attrs: Record<string, AttrValue> = { function: fn };
  for (const [key, value] of Object.entries(params)) if (value !== undefined) attrs[key] = value;
  if (qdq) attrs.qdq = 1;
  return { name: node.name, op: 'QLinearLookup', inputs: [input], outputs: [node.outputs[0]!], attrs };
}

/** com.microsoft QLinearSigmoid / QLinearLeakyRelu: (X, X_scale, X_zero_point?, Y_scale, Y_zero_point?). */
function importQOperator(fn: LookupFunction, params: (node: OnnxNodeView) => LookupParams): OnnxImport['import'] {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    const { x, zeroPointType } = importUnaryQLinearIo(node, ctx);
    const imported = lookupNode(node, x, fn, params(node), false);
    if (zeroPointType) imported.attrs.zero_point_type = zeroPointType;
    return imported;
  };
}

/** A float constant, or a quantized one behind a DequantizeLinear, as its float32 value. */
function constantValue(node: OnnxNodeView, ctx: ImportContext, name: string, role: string): number {
  const t = ctx.constant(node, name, role);
  if (t.data!.length !== 1) throw new UserError(`${node.label}: ${role} '${name}' must hold one value, found ${t.data!.length}`);
  const v = Number(t.data![0]);
  if (t.dtype === 'float32') return v;
  if (t.quant && (t.dtype === 'int8' || t.dtype === 'uint8')) return Math.fround(Math.fround(t.quant.scale[0]!) * (v - t.quant.zeroPoint[0]!));
  throw new UserError(`${node.label}: ${role} '${name}' must be float32, found ${t.dtype}`);
}

function clipBounds(node: OnnxNodeView, ctx: ImportContext): LookupParams {
  // Opset 11 on: optional constant inputs; before: attributes (defaults: the float range).
  const bound = (index: number, attr: string, fallback: number) => {
    const name = node.input(index);
    if (name !== '') return constantValue(node, ctx, name, attr);
    return node.float(attr, fallback);
  };
  const min = bound(1, 'min', -FLOAT_MAX);
  const max = bound(2, 'max', FLOAT_MAX);
  if (Number.isNaN(min) || Number.isNaN(max)) throw new UserError(`${node.label}: NaN bounds are not supported`);
  return { min, max };
}

/** The float op of DequantizeLinear → op → QuantizeLinear (see OnnxImport 'qdq' in src/ops/op.ts). */
function importQdq(fn: LookupFunction, params: (node: OnnxNodeView, ctx: ImportContext) => LookupParams): OnnxImport['import'] {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    node.requireInputs(1);
    const x = node.input(0);
    const quant = ctx.graph.tensors.get(x)?.quant;
    if (!quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
    if (quant.scale.length !== 1) throw new UserError(`${node.label}: the input must be dequantized per tensor (one scale), found ${quant.scale.length}`);
    return lookupNode(node, x, fn, params(node, ctx), true);
  };
}

// Defaults are float32 constants in ONNX Runtime (0.01f, 0.2f, 0.5f).
const attr = (node: OnnxNodeView, name: string, fallback: number) => node.float(name, Math.fround(fallback));
const alpha = (fallback: number) => (node: OnnxNodeView) => ({ alpha: attr(node, 'alpha', fallback) });

export const LOOKUP_IMPORTS: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearSigmoid', import: importQOperator('sigmoid', () => ({})) },
  { domain: 'com.microsoft', opType: 'QLinearLeakyRelu', import: importQOperator('leaky_relu', alpha(0.01)) },
  { domain: '', opType: 'Sigmoid', form: 'qdq', import: importQdq('sigmoid', () => ({})) },
  { domain: '', opType: 'Tanh', form: 'qdq', import: importQdq('tanh', () => ({})) },
  { domain: '', opType: 'HardSigmoid', form: 'qdq', import: importQdq('hard_sigmoid', (n) => ({ alpha: attr(n, 'alpha', 0.2), beta: attr(n, 'beta', 0.5) })) },
  { domain: '', opType: 'HardSwish', form: 'qdq', import: importQdq('hard_swish', () => ({})) },
  { domain: '', opType: 'LeakyRelu', form: 'qdq', import: importQdq('leaky_relu', alpha(0.01)) },
  { domain: '', opType: 'Relu', form: 'qdq', import: importQdq('relu', () => ({})) },
  { domain: '', opType: 'Clip', form: 'qdq', import: importQdq('clip', clipBounds) },
];

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

export function prepareQLinearLookup(node: Node, graph: Graph, options: CompileOptions): void {
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
  node.params = params;
}
