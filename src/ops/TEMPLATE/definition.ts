/**
 * TEMPLATE: a copy-me op folder (docs/adding-an-op.md walks through it). Copy the folder to
 * src/ops/<your-op>/, rename `MyOp` / `myOp` / `tg_my_op_*`, and replace the arithmetic. This one is
 * compiled by tsc but not registered (src/ops/registry.ts), so nothing can produce it.
 *
 * Say here what the op computes and whose semantics it matches, then the IR contract:
 * IR: inputs [x], outputs [y], both int8 per tensor; attrs: none. The output is the input
 * requantized to the output's scale and zero point with TFLite's double rounding.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { quantizeMultiplier, type QuantizedMultiplier } from '../../numerics/requantize.ts';
import type { OutputInfo } from '../op.ts';
import { int8PerTensorIo } from '../common/tflm-input-scaling.ts';

/** Everything reference and emit need, computed once by prepare: they see it as node.params. */
export interface MyOpParams {
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** s_x / s_y as a Q31 multiplier and shift. */
  multiplier: QuantizedMultiplier;
}

/** Shape and type rules: the output's shape, and its dtype and quantization when the op decides them. */
export function inferMyOp(node: Node, graph: Graph): OutputInfo[] {
  return [{ shape: [...tensorOf(graph, node.inputs[0]!).shape], dtype: 'int8' }];
}

/**
 * The compile-time constants, returned (the registry entry stores them on the node). Reject what
 * the op cannot do with a UserError that names the node, here and nowhere later.
 */
export function prepareMyOp(node: Node, graph: Graph): MyOpParams {
  const { input, output } = int8PerTensorIo(node, graph);
  return { inputZeroPoint: input.zeroPoint, outputZeroPoint: output.zeroPoint, multiplier: quantizeMultiplier(input.scale / output.scale) };
}
