import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { cFloat, cInt } from '../../codegen/c-literals.ts';
import { ELEM_C } from '../common/float-values.ts';
import { ACT_C, type FloatActivationParams } from './definition.ts';

export function emitFloatActivation(node: PreparedNode<FloatActivationParams>, _graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const fields = [ACT_C[p.fn], ELEM_C[p.elem], p.count, cFloat(p.alpha), cFloat(p.beta), p.hasMin ? 1 : 0, p.hasMax ? 1 : 0, cFloat(p.min), cFloat(p.max), cInt(p.intMin), cInt(p.intMax)];
  const params = ctx.constStruct('act', 'tg_float_activation_t', `{ ${fields.join(', ')} }`);
  return `tg_float_activation(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)});`;
}
