/**
 * Zero points given as constant inputs of the node itself (ConvInteger, MatMulInteger), not as a
 * tensor's quantization: these ops have no scales, and their inputs may be quantized otherwise
 * elsewhere. A zero point is a constant of its tensor's type, so the uint8 → int8 rewrite, which
 * turns every uint8 constant into int8 (value - 128), shifts it with the data, keeping x - zp.
 * An absent zero point is 0 in the tensor's own type: shape inference (before that rewrite)
 * materializes it as a constant so it gets the same shift.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';

/**
 * Shape inference's part: checks input `index` is a zero point of `of`'s type with one value or
 * one per `channels`, materializing an absent one as a scalar 0. Returns its element count.
 */
export function checkZeroPointInput(node: Node, graph: Graph, index: number, of: string, role: string, channels?: number): number {
  const tensor = tensorOf(graph, of);
  while (node.inputs.length <= index) node.inputs.push('');
  if (node.inputs[index] === '') {
    const name = uniqueName(graph, `${node.name}_${role.replace(/\W+/g, '_')}_zero_point`);
    graph.tensors.set(name, { name, dtype: tensor.dtype, shape: [], data: tensor.dtype === 'uint8' ? new Uint8Array(1) : new Int8Array(1) });
    node.inputs[index] = name;
  }
  const zp = tensorOf(graph, node.inputs[index]!);
  if (zp.dtype !== tensor.dtype) {
    throw new UserError(`node '${node.name}' (${node.op}): the ${role} zero point is ${zp.dtype} but the ${role} is ${tensor.dtype}`);
  }
  const count = zp.data!.length;
  if (count !== 1 && count !== channels) {
    const want = channels === undefined ? 'one value' : `one value or ${channels} (one per ${role === 'B' ? 'column' : 'output channel'})`;
    throw new UserError(`node '${node.name}' (${node.op}): the ${role} zero point has ${count} values; expected ${want}`);
  }
  return count;
}

/** The values of a zero-point input (after the uint8 → int8 rewrite: int8), one per channel. */
export function zeroPointValues(graph: Graph, node: Node, index: number, channels = 1): number[] {
  const data = Array.from(tensorOf(graph, node.inputs[index]!).data as Int8Array, Number);
  return data.length === 1 ? new Array<number>(channels).fill(data[0]!) : data;
}
