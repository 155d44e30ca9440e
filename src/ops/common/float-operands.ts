/** Helpers for float32 ops (see OnnxImport 'float' in src/frontend/onnx/import-context.ts): operands, types and attributes. */
import type { Graph, Node } from '../../ir/graph.ts';
import { isConstant, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { EmitContext } from '../op.ts';

/** The C expression for a float32 operand: its constant array when it is a constant, else its storage. */
export function floatOperand(ctx: EmitContext, graph: Graph, name: string, suffix: string): string {
  if (name === '') return 'NULL';
  if (isConstant(graph, name)) return ctx.constArray(suffix, 'float', tensorOf(graph, name).data as Float32Array);
  return ctx.pointer(name);
}

/** Every named input is float32; otherwise the user's error. */
export function requireFloat(node: Node, graph: Graph, roles: readonly string[]): void {
  node.inputs.forEach((name, i) => {
    if (name === '') return;
    const t = tensorOf(graph, name);
    if (t.dtype !== 'float32') throw new UserError(`node '${node.name}' (${node.op}): ${roles[i] ?? `input ${i}`} '${name}' is ${t.dtype}; only float32 is supported`);
  });
}

/** A float attribute value the C can spell (cFloat refuses NaN and infinities). */
export function finiteAttr(node: Node, name: string, value: number): number {
  if (!Number.isFinite(value)) throw new UserError(`node '${node.name}' (${node.op}): attribute ${name} = ${value} is not finite`);
  return value;
}
