/**
 * MaxPool on int8 NHWC tensors; the output keeps the input's quantization. (ONNX's NCHW pools,
 * 1-D ones as 2-D over [1, L], are converted at import.)
 *
 * int16 (TFLite's 16x8 MAX_POOL_2D, tflite rounding only) follows TFLM: the maximum of the
 * window's taps inside the input, from -32768, then clamped to attrs.clamp (the fused activation,
 * which the importer puts on the op itself for int16, as TFLM clamps inside the kernel).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { nhwcWindowInputHW, resolveWindow, windowGeometry, type WindowGeometry } from '../common/window.ts';
import { requireDtype } from '../common/values.ts';
import { activationRange } from '../common/activation.ts';

export function inferMaxPool(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, ['int8', 'uint8', 'int16'], 'input');
  const { outputHW } = resolveWindow(node, nhwcWindowInputHW(node, x.shape));
  return [{ shape: [x.shape[0]!, ...outputHW, x.shape[3]!], dtype: x.dtype, quant: x.quant }];
}

export function prepareMaxPool(node: Node, graph: Graph, options: CompileOptions): MaxPoolParams {
  const geometry = windowGeometry(node, tensorOf(graph, node.inputs[0]!).shape, tensorOf(graph, node.outputs[0]!).shape);
  if (tensorOf(graph, node.inputs[0]!).dtype !== 'int16') {
    // The int8 kernel has no clamp: an activation reaches it as a Clamp node of its own.
    if (node.attrs.clamp !== undefined) throw new Error(`internal: int8 MaxPool '${node.name}' has a clamp`);
    return geometry;
  }
  // attrs.int16_exact: an ONNX DQ → MaxPool → Q with one quantization (no clamp), exact in any rounding.
  if (options.rounding !== 'tflite' && node.attrs.int16_exact !== 1) throw new UserError(`node '${node.name}' (${node.op}): int16 max pooling is TFLite's 16x8 MAX_POOL_2D and needs --rounding tflite`);
  const [actMin, actMax] = activationRange(node, graph);
  return { ...geometry, int16: { actMin, actMax } };
}

/** The window; for int16 also the clamp TFLM applies to each maximum. */
export type MaxPoolParams = WindowGeometry & { int16?: { actMin: number; actMax: number } };
