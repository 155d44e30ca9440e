/**
 * AVERAGE_POOL_2D → QLinearAveragePool and MAX_POOL_2D → MaxPool. TFLM's int8 pools keep the
 * input's quantization; the average divides the sum of the in-bounds taps by their count,
 * rounding half away from zero (the IR op's 'tflite' mode with equal quantizations). A fused
 * activation becomes a Clamp, as TFLM clamps the pooled value to the activation range. Both run
 * on the file's NHWC tensors (MaxPool is NHWC in the IR; the average pool is told channels_last).
 */
import type { Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { requireInt8Activation, type OperatorView, type TfliteImporter } from './importer.ts';
import { sameQuantization } from '../../ops/common/requant-table.ts';
import { clampedOutput, nhwcDims, requireOutputShape, windowAttrs } from './spatial.ts';

export function importAveragePool2d(op: OperatorView, importer: TfliteImporter): Node[] {
  // count_include_pad 0: TFLM counts only the taps inside the input.
  return importPool(op, importer, 'QLinearAveragePool', { count_include_pad: 0, pool_rank: 2, channels_last: 1, uint8_output: 0 });
}

export function importMaxPool2d(op: OperatorView, importer: TfliteImporter): Node[] {
  return importPool(op, importer, 'MaxPool', {});
}

function importPool(op: OperatorView, importer: TfliteImporter, irOp: string, extraAttrs: Node['attrs']): Node[] {
  const o = op.operator.options('Pool2DOptions');
  if (!o) throw new UserError('Pool2DOptions are missing');
  const input = importer.read(op.operator.inputs[0], 'input');
  requireInt8Activation(importer, input, 'input');
  const [n, h, w, c] = nhwcDims(importer, input, 'input');
  const output = importer.write(op.operator.outputs[0], 'output');
  requireInt8Activation(importer, output, 'output');
  if (!sameQuantization(importer.tensor(input).quant, importer.tensor(output).quant)) {
    throw new UserError(`the input and output quantizations differ; TFLM's int8 pools keep the input's`);
  }
  const { attrs, outputHW } = windowAttrs({ padding: o.padding, kernel: [o.filterHeight, o.filterWidth], strides: [o.strideH, o.strideW], dilations: [1, 1] }, [h, w]);
  requireOutputShape(importer, output, [n, ...outputHW, c]);
  const { target, clamp } = clampedOutput(importer, op.name, output, o.fusedActivationFunction);
  return [{ name: op.name, op: irOp, inputs: [input], outputs: [target], attrs: { ...attrs, ...extraAttrs } }, ...clamp];
}
