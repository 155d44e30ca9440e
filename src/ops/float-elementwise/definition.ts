/**
 * FloatAdd, FloatSub, FloatMul, FloatDiv: ONNX's Add, Sub, Mul and Div on tensors as they stand
 * (no quantization), with numpy broadcasting up to rank 6. Imported only when float ops are
 * allowed (ONNX's float conformance tests); see OnnxImport 'float' in src/frontend/onnx/import-context.ts.
 *
 * float32: each output element is the float32 operation on its two operands, rounded once
 * (IEEE 754 round to nearest even; the C kernel is compiled without contraction). A NaN result is
 * stored as the canonical quiet NaN 0x7fc00000.
 *
 * int8, uint8, int32 (as ONNX defines them on integers): exact integer arithmetic wrapped to the
 * type (two's complement); Div truncates toward zero. Integer division by zero, which ONNX leaves
 * undefined, gives 0 here; INT32_MIN / -1 wraps to INT32_MIN.
 *
 * IR: inputs [A, B], outputs [C] of the inputs' type; attrs.elem (ELEM in
 * src/ops/common/float-values.ts) records the model's type before the uint8 rewrite.
 */
import type { Graph, Node, Tensor } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OutputInfo } from '../op.ts';
import { broadcastPlan, broadcastShape, MAX_BROADCAST_RANK, type BroadcastPlan } from '../common/broadcast.ts';
import { elemOf, type ElemCode } from '../common/float-values.ts';

export type FloatBinaryOp = 'FloatAdd' | 'FloatSub' | 'FloatMul' | 'FloatDiv';

/** The kernel's operation codes (TG_BINARY_* in tinygen_kernels.h). */
export const BINARY_CODE: Record<FloatBinaryOp, number> = { FloatAdd: 0, FloatSub: 1, FloatMul: 2, FloatDiv: 3 };
export const BINARY_C = ['TG_BINARY_ADD', 'TG_BINARY_SUB', 'TG_BINARY_MUL', 'TG_BINARY_DIV'] as const;

export interface FloatBinaryParams {
  plan: BroadcastPlan;
  op: number;
  elem: ElemCode;
}

function fail(node: Node, why: string): never {
  throw new UserError(`node '${node.name}' (${node.op}): ${why}`);
}

export function inferFloatBinary(node: Node, graph: Graph): OutputInfo[] {
  const [a, b] = node.inputs.map((n) => tensorOf(graph, n)) as [Tensor, Tensor];
  const elem = elemOf(node, a, ['float32', 'int8', 'uint8', 'int32']);
  if (a.dtype !== b.dtype) fail(node, `A is ${a.dtype} but B is ${b.dtype}; both must have one type`);
  if (a.quant || b.quant) fail(node, 'quantized inputs belong to a DequantizeLinear → op → QuantizeLinear pattern, not to the float op');
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) fail(node, `shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  if (shape.length > MAX_BROADCAST_RANK) fail(node, `rank ${shape.length} is above the supported ${MAX_BROADCAST_RANK}`);
  if (shape.some((d) => d === 0)) fail(node, `empty tensors (shape [${shape}]) are not supported`);
  node.attrs.elem ??= elem;
  return [{ shape, dtype: a.dtype }];
}

export function prepareFloatBinary(node: Node, graph: Graph): FloatBinaryParams {
  const [a, b] = node.inputs.map((n) => tensorOf(graph, n)) as [Tensor, Tensor];
  const out = tensorOf(graph, node.outputs[0]!);
  const params: FloatBinaryParams = {
    plan: broadcastPlan(a.shape, b.shape, out.shape),
    op: BINARY_CODE[node.op as FloatBinaryOp],
    elem: node.attrs.elem as ElemCode,
  };
  return params;
}
