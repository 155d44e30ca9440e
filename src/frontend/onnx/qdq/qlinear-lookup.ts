/** The QDQ forms of the src/ops/qlinear-lookup family: Sigmoid (qdq), Tanh (qdq), HardSigmoid (qdq), HardSwish (qdq), LeakyRelu (qdq), Relu (qdq), Clip (qdq). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { type LookupFunction, type LookupParams } from '../../../ops/qlinear-lookup/functions.ts';
import { alpha, attr, lookupNode } from '../import/qlinear-lookup.ts';

const FLOAT_MAX = 3.4028234663852886e38;

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

export const qlinearLookupQdqImports: OnnxImport[] = [
  { domain: '', opType: 'Sigmoid', form: 'qdq', import: importQdq('sigmoid', () => ({})) },
  { domain: '', opType: 'Tanh', form: 'qdq', import: importQdq('tanh', () => ({})) },
  { domain: '', opType: 'HardSigmoid', form: 'qdq', import: importQdq('hard_sigmoid', (n) => ({ alpha: attr(n, 'alpha', 0.2), beta: attr(n, 'beta', 0.5) })) },
  { domain: '', opType: 'HardSwish', form: 'qdq', import: importQdq('hard_swish', () => ({})) },
  { domain: '', opType: 'LeakyRelu', form: 'qdq', import: importQdq('leaky_relu', alpha(0.01)) },
  { domain: '', opType: 'Relu', form: 'qdq', import: importQdq('relu', () => ({})) },
  { domain: '', opType: 'Clip', form: 'qdq', import: importQdq('clip', clipBounds) },
];
