/**
 * TRANSPOSE_CONV → TFLiteTransposeConv (src/ops/tflite-transpose-conv), int8 or 16x8.
 *
 * Inputs: 0 the output shape (int32), 1 the weights [out_c][k_h][k_w][in_c], 2 the input, 3 the
 * bias (optional). TFLM never reads input 0: it computes over the output tensor's declared dims.
 * tinygen reads it all the same, as a constant or a graph input bound at compile time, and refuses a
 * model where it disagrees with the declared output, rather than pick one of the two silently.
 * The padding is TFLM's, derived from the output size (see tflmPadding); the fused activation
 * (TransposeConvOptions from version 4) becomes the requantization clamp. quantized_bias_type is
 * not read: TFLM's kernel goes by the bias tensor's type.
 */
import type { Node } from '../../ir/graph.ts';
import { elementCount, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { activationBounds, requireActivation, tfliteClamp, type OperatorView, type TfliteImporter } from './importer.ts';
import { Padding } from './schema.ts';

/**
 * The "before" padding TFLM uses along one axis (ComputePaddingHeightWidth with the OUTPUT size as
 * the image size: the forward convolution that the transpose undoes), or undefined where TFLM's
 * size check fails. C's truncating division matters for VALID when the output is smaller than
 * the filter.
 */
function axisPadding(padding: number, output: number, filter: number, stride: number): number | undefined {
  const windows = Math.trunc(padding === Padding.SAME ? (output + stride - 1) / stride : (output + stride - filter) / stride);
  if (windows < 0) return undefined;
  const total = Math.max(0, (windows - 1) * stride + filter - output);
  return Math.floor(total / 2);
}

/** TFLM's [top, left]: both 0 when either axis fails its check, as TFLM leaves them. */
function tflmPadding(padding: number, outputHW: readonly number[], filterHW: readonly number[], strides: readonly number[]): [number, number] {
  const pads = [0, 1].map((d) => axisPadding(padding, outputHW[d]!, filterHW[d]!, strides[d]!));
  return pads[0] === undefined || pads[1] === undefined ? [0, 0] : [pads[0], pads[1]];
}

export function importTransposeConv(op: OperatorView, importer: TfliteImporter): Node[] {
  const o = op.operator.options('TransposeConvOptions');
  if (!o) throw new UserError('TransposeConvOptions are missing');
  if (o.padding !== Padding.SAME && o.padding !== Padding.VALID) throw new UserError(`padding ${o.padding} is not SAME (0) or VALID (1)`);
  const strides = [o.strideH, o.strideW];
  if (strides.some((s) => !Number.isInteger(s) || s < 1)) throw new UserError(`strides [${strides}] must be >= 1`);
  const [shapeIndex, weightsIndex, inputIndex, biasIndex = -1] = op.operator.inputs;

  const input = importer.read(inputIndex, 'input');
  requireActivation(importer, input, 'input', ['int8', 'int16']);
  const x = importer.tensor(input);
  const sixteen = x.dtype === 'int16';
  if (x.shape.length !== 4 || x.shape.some((d) => d < 1)) throw new UserError(`the input '${input}' must be 4-D NHWC and not empty, got [${x.shape}]`);

  const weights = importer.tensor(importer.constant(weightsIndex, 'weights'));
  if (weights.dtype !== 'int8' || weights.shape.length !== 4 || weights.shape.some((d) => d < 1)) throw new UserError(`the weights '${weights.name}' must be int8 [out_c][k_h][k_w][in_c], got ${weights.dtype} [${weights.shape}]`);
  const [outC, kh, kw, inC] = weights.shape as [number, number, number, number];
  if (inC !== x.shape[3]) throw new UserError(`the weights [${weights.shape}] take ${inC} input channels; the input has ${x.shape[3]}`);
  const wq = weights.quant;
  if (!wq) throw new UserError(`the weights '${weights.name}' are not quantized`);
  if (wq.scale.length > 1 && (wq.axis !== 0 || wq.scale.length !== outC)) {
    throw new UserError(`the weights '${weights.name}' have ${wq.scale.length} scales along dimension ${wq.axis}; per-channel weights need one per output channel (${outC}, dimension 0)`);
  }
  // TFLM ignores the weights' zero point; a nonzero one would be dropped silently, so it is refused.
  if (wq.zeroPoint.some((z) => z !== 0)) throw new UserError(`the weights '${weights.name}' have a nonzero zero point, which TFLM's TRANSPOSE_CONV ignores`);

  const inputs = [input, weights.name];
  if (biasIndex >= 0) inputs.push(biasOf(importer, biasIndex, sixteen, outC));

  const output = importer.write(op.operator.outputs[0], 'output');
  const y = importer.tensor(output);
  if (y.dtype !== x.dtype) throw new UserError(`the output '${output}' is ${y.dtype}; TRANSPOSE_CONV writes its input's type, ${x.dtype}`);
  requireActivation(importer, output, 'output', [sixteen ? 'int16' : 'int8']);
  if (sixteen) {
    // TFLM's 16x8 kernel reads no activation zero point; 16x8 quantization has none.
    const offCentre = [input, output].find((name) => importer.tensor(name).quant!.zeroPoint[0] !== 0);
    if (offCentre !== undefined) throw new UserError(`'${offCentre}' has a nonzero zero point; 16x8 quantization has none, and TFLM's 16x8 TRANSPOSE_CONV ignores it`);
  }
  if (y.shape.length !== 4 || y.shape[0] !== x.shape[0] || y.shape[3] !== outC || y.shape[1]! < 1 || y.shape[2]! < 1) {
    throw new UserError(`the output '${output}' has shape [${y.shape}]; it must be [${x.shape[0]}, h, w, ${outC}] (the input's batch, the weights' output channels)`);
  }
  const declared = outputShapeOperand(importer, shapeIndex ?? -1);
  if (declared.length !== 4 || declared.some((d, i) => d !== y.shape[i])) {
    throw new UserError(`the output shape operand [${declared}] differs from the output '${output}' as declared, [${y.shape}]`);
  }

  const outputHW = [y.shape[1]!, y.shape[2]!];
  const bounds = activationBounds(o.fusedActivationFunction);
  const clamp = bounds && tfliteClamp(bounds, y.quant, sixteen ? 'int16' : 'int8');
  const attrs = { strides, pads: tflmPadding(o.padding, outputHW, [kh, kw], strides), output_hw: outputHW, ...(clamp ? { clamp } : {}) };
  return [{ name: op.name, op: 'TFLiteTransposeConv', inputs, outputs: [output], attrs }];
}

/** Input 0's values; where it is a graph input, the refusal says how to give it a value. */
function outputShapeOperand(importer: TfliteImporter, index: number): number[] {
  try {
    return importer.integers(index, 'output shape');
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${err.message} (a graph input here must be bound at compile time: --bind NAME=n,h,w,c)`);
    throw err;
  }
}

/**
 * The bias as the IR takes it: int32 for int8 layers; int64 for 16x8 ones, where an int16 bias
 * (which TFLM widens to int64 before the kernel) becomes a new int64 constant. TFLM would misread
 * an int32 bias in a 16x8 layer as int64 pairs, so that is refused.
 */
function biasOf(importer: TfliteImporter, index: number, sixteen: boolean, outC: number): string {
  const bias = importer.tensor(importer.constant(index, 'bias'));
  const types = sixteen ? ['int64', 'int16'] : ['int32'];
  if (!types.includes(bias.dtype) || elementCount(bias.shape) !== outC) throw new UserError(`the bias '${bias.name}' must be ${types.join(' or ')} with ${outC} values, got ${bias.dtype} [${bias.shape}]`);
  if (bias.dtype !== 'int16') return bias.name;
  const name = uniqueName(importer.graph, `${bias.name}_int64`);
  const data = BigInt64Array.from(bias.data as Int16Array, (v) => BigInt(v));
  importer.graph.tensors.set(name, { name, dtype: 'int64', shape: [outC], data, ...(bias.quant ? { quant: bias.quant } : {}) });
  return name;
}
