/** The generated function's interface: one pointer per graph input and output, in the model's own types and layout. */
import type { Graph, Tensor } from '../ir/graph.ts';
import { elementCount, tensorBytes, tensorOf } from '../ir/graph.ts';
import { CTYPE_OF, type CType, type IoPlacement } from '../ops/op.ts';

export interface ApiTensor {
  /** The C parameter name. */
  param: string;
  /** The ONNX tensor name. */
  tensor: string;
  ctype: CType;
  shape: number[];
  elements: number;
  bytes: number;
  scale?: number;
  zeroPoint?: number;
}

export function ctypeOf(tensor: Tensor): CType {
  return CTYPE_OF[tensor.dtype];
}

function describe(graph: Graph, names: string[], base: string): ApiTensor[] {
  return names.map((name, i) => {
    const t = tensorOf(graph, name);
    const perTensor = t.quant && t.quant.scale.length === 1;
    return {
      param: names.length === 1 ? base : `${base}${i}`,
      tensor: name,
      ctype: ctypeOf(t),
      shape: [...t.shape],
      elements: elementCount(t.shape),
      bytes: tensorBytes(t),
      ...(perTensor ? { scale: t.quant!.scale[0]!, zeroPoint: t.quant!.zeroPoint[0]! } : {}),
    };
  });
}

export function apiInputs(graph: Graph): ApiTensor[] {
  return describe(graph, graph.inputs, 'input');
}

export function apiOutputs(graph: Graph): ApiTensor[] {
  return describe(graph, graph.outputs, 'output');
}

/**
 * Where the arena lives: 'static', one array inside the model's .c; 'external', the caller's
 * buffer, passed to every call, so models that never run at once can share one.
 */
export type ArenaPlacement = 'static' | 'external';
export const ARENA_PLACEMENTS: readonly ArenaPlacement[] = ['static', 'external'];
/** The alignment an external arena must have (the static one is declared with it). */
export const ARENA_ALIGNMENT = 8;

/**
 * The parameter list of <name>_run: the arena when it is the caller's, then (unless they live in
 * the arena) inputs (const) and outputs; `void` when that leaves none.
 */
export function runSignature(inputs: readonly ApiTensor[], outputs: readonly ApiTensor[], io: IoPlacement, arena: ArenaPlacement): string {
  const buffers = io === 'arena' ? [] : [...inputs.map((t) => `const ${t.ctype} *${t.param}`), ...outputs.map((t) => `${t.ctype} *${t.param}`)];
  const parameters = [...(arena === 'external' ? ['void *arena'] : []), ...buffers];
  return parameters.length > 0 ? parameters.join(', ') : 'void';
}
