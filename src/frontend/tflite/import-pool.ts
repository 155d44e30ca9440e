/**
 * AVERAGE_POOL_2D → QLinearAveragePool and MAX_POOL_2D → MaxPool. TFLM's int8 pools keep the
 * input's quantization; the average divides the sum of the in-bounds taps by their count,
 * rounding half away from zero (the IR op's 'tflite' mode with equal quantizations). A fused
 * activation becomes a Clamp, as TFLM clamps the pooled value to the activation range. Both run
 * on the file's NHWC tensors (MaxPool is NHWC in the IR; the average pool is told channels_last).
 *
 * int16 ("16x8" models) takes TFLM's int16 kernels, the same rules on int16 values; there the
 * fused activation is the op's own attrs.clamp (TFLM's int16 activation range), which the int16
 * kernels apply as TFLM does, so the int8 graphs keep their Clamp nodes unchanged.
 */
import type { Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { activationBounds, requireActivation, tfliteClamp, type OperatorView, type TfliteImporter } from './importer.ts';
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
  requireActivation(importer, input, 'input', ['int8', 'int16']);
  const [n, h, w, c] = nhwcDims(importer, input, 'input');
  const output = importer.write(op.operator.outputs[0], 'output');
  requireActivation(importer, output, 'output', ['int8', 'int16']);
  const [x, y] = [importer.tensor(input), importer.tensor(output)];
  if (x.dtype !== y.dtype) throw new UserError(`the input '${input}' is ${x.dtype} and the output '${output}' ${y.dtype}; TFLM's kernel needs one type`);
  if (!sameQuantization(x.quant, y.quant)) {
    // TFLM's pooling_common.cc lets scales within 1e-6 of each other through and then computes as
    // if they were equal; tinygen needs them equal.
    throw new UserError(`the input and output quantizations differ; TFLM's ${x.dtype} pools keep the input's (TFLM also runs scales within 1e-6 of each other as if equal; tinygen needs them equal)`);
  }
  const { attrs, outputHW } = windowAttrs({ padding: o.padding, kernel: [o.filterHeight, o.filterWidth], strides: [o.strideH, o.strideW], dilations: [1, 1] }, [h, w]);
  requireOutputShape(importer, output, [n, ...outputHW, c]);
  if (y.dtype === 'int16') {
    const node: Node = { name: op.name, op: irOp, inputs: [input], outputs: [output], attrs: { ...attrs, ...extraAttrs } };
    const bounds = activationBounds(o.fusedActivationFunction);
    if (bounds) node.attrs.clamp = tfliteClamp(bounds, y.quant, 'int16');
    return [node];
  }
  const { target, clamp } = clampedOutput(importer, op.name, output, o.fusedActivationFunction);
  return [{ name: op.name, op: irOp, inputs: [input], outputs: [target], attrs: { ...attrs, ...extraAttrs } }, ...clamp];
}
