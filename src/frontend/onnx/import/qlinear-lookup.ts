/** ONNX importers of the src/ops/qlinear-lookup family: com.microsoft.QLinearSigmoid, com.microsoft.QLinearLeakyRelu (the QDQ forms are ../qdq/qlinear-lookup.ts). */
import type { AttrValue, Node } from '../../../ir/graph.ts';
import { importUnaryQLinearIo } from './qoperator-unary.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { type LookupFunction, type LookupParams } from '../../../ops/qlinear-lookup/functions.ts';

export function lookupNode(node: OnnxNodeView, input: string, fn: LookupFunction, params: LookupParams, qdq: boolean): Node {
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

// Defaults are float32 constants in ONNX Runtime (0.01f, 0.2f, 0.5f).
export const attr = (node: OnnxNodeView, name: string, fallback: number) => node.float(name, Math.fround(fallback));

export const alpha = (fallback: number) => (node: OnnxNodeView) => ({ alpha: attr(node, 'alpha', fallback) });

export const LOOKUP_IMPORTS: OnnxImport[] = [
  { domain: 'com.microsoft', opType: 'QLinearSigmoid', import: importQOperator('sigmoid', () => ({})) },
  { domain: 'com.microsoft', opType: 'QLinearLeakyRelu', import: importQOperator('leaky_relu', alpha(0.01)) },
];

export const qlinearLookupImports: OnnxImport[] = LOOKUP_IMPORTS;
