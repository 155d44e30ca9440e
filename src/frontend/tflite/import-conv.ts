/**
 * CONV_2D and DEPTHWISE_CONV_2D → QLinearConv (TFLM's int8 convolutions: per-tensor or
 * per-output-channel weights, int32 bias, fused activation in the requantization clamp), or
 * Conv16x8 for 16x8 layers (int16 activations, int8 weights, int64 or int32 bias).
 * The IR's conv is NHWC like the file, and so are its weights: CONV_2D's OHWI and
 * DEPTHWISE_CONV_2D's [1][k_h][k_w][C·M] are the orders the kernels read, and pass through as
 * they are. (A depthwise layer over one input channel is an ordinary conv, whose weight is OHWI.)
 */
import type { Node, Tensor } from '../../ir/graph.ts';
import { elementCount, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { activationBounds, requireActivation, tfliteClamp, type OperatorView, type TfliteImporter } from './importer.ts';
import { nhwcDims, requireOutputShape, windowAttrs } from './spatial.ts';
import { Padding } from './schema.ts';

interface ConvGeometry {
  padding: number;
  strides: [number, number];
  dilations: [number, number];
  activation: number;
  /** The IR's group count from the input channels and the file's weight shape (one group for CONV_2D, one per channel for depthwise). */
  group: (inputChannels: number, weightShape: readonly number[]) => number;
  /** The file's weight is [1][k_h][k_w][C·M] (DEPTHWISE_CONV_2D), not OHWI. */
  depthwise: boolean;
  /** The file's quantized_dimension for per-channel weights. */
  channelAxis: number;
}

export function importConv2d(op: OperatorView, importer: TfliteImporter): Node[] {
  const o = op.operator.options('Conv2DOptions');
  if (!o) throw new UserError('Conv2DOptions are missing');
  return importConv(op, importer, {
    padding: o.padding,
    strides: [o.strideH, o.strideW],
    dilations: [o.dilationHFactor, o.dilationWFactor],
    activation: o.fusedActivationFunction,
    group: () => 1,
    depthwise: false,
    channelAxis: 0,
  });
}

export function importDepthwiseConv2d(op: OperatorView, importer: TfliteImporter): Node[] {
  const o = op.operator.options('DepthwiseConv2DOptions');
  if (!o) throw new UserError('DepthwiseConv2DOptions are missing');
  const depthMultiplier = o.depthMultiplier;
  return importConv(op, importer, {
    padding: o.padding,
    strides: [o.strideH, o.strideW],
    dilations: [o.dilationHFactor, o.dilationWFactor],
    activation: o.fusedActivationFunction,
    group: (channels, weightShape) => {
      const weightChannels = weightShape[3]!;
      // Converters may leave depth_multiplier at 0; the weights' last dimension is authoritative.
      if (weightChannels % channels !== 0 || (depthMultiplier !== 0 && depthMultiplier * channels !== weightChannels)) {
        throw new UserError(`depth_multiplier ${depthMultiplier} and ${channels} input channels do not give the weights' ${weightChannels} channels`);
      }
      return channels;
    },
    depthwise: true,
    channelAxis: 3,
  });
}

function importConv(op: OperatorView, importer: TfliteImporter, geometry: ConvGeometry): Node[] {
  const [inputIndex, weightsIndex, biasIndex = -1] = op.operator.inputs;
  const input = importer.read(inputIndex, 'input');
  requireActivation(importer, input, 'input', ['int8', 'int16']);
  // 16x8: int16 activations, int8 weights, int64 (or int32) bias; TFLM's own arithmetic (Conv16x8).
  const sixteen = importer.tensor(input).dtype === 'int16';
  const [n, h, w, c] = nhwcDims(importer, input, 'input');
  const weights = importer.tensor(importer.constant(weightsIndex, 'weights'));
  if (weights.dtype !== 'int8' || weights.shape.length !== 4) throw new UserError(`the weights '${weights.name}' must be int8 4-D, got ${weights.dtype} [${weights.shape}]`);
  const group = geometry.group(c, weights.shape);
  const irWeights = kernelWeights(importer, weights, geometry, group);
  const [, kh, kw] = weights.shape as [number, number, number, number];
  const [outC, inPerGroup] = geometry.depthwise ? [weights.shape[3]!, 1] : [weights.shape[0]!, weights.shape[3]!];
  if (inPerGroup * group !== c) throw new UserError(`the weights [${weights.shape}] do not take ${c} input channels`);
  const inputs = [irWeights];
  if (biasIndex >= 0) {
    const bias = importer.tensor(importer.constant(biasIndex, 'bias'));
    // TFLM's 16x8 depthwise kernel reads its bias as int64 whatever the file says, so an int32 one is refused.
    const types = sixteen ? (geometry.depthwise ? ['int64'] : ['int64', 'int32']) : ['int32'];
    if (!types.includes(bias.dtype) || elementCount(bias.shape) !== outC) throw new UserError(`the bias '${bias.name}' must be ${types.join(' or ')} with ${outC} values, got ${bias.dtype} [${bias.shape}]`);
    inputs.push(bias.name);
  }
  const output = importer.write(op.operator.outputs[0], 'output');
  requireActivation(importer, output, 'output', [sixteen ? 'int16' : 'int8']);
  if (sixteen) {
    // TFLM's 16x8 kernels read no zero point; a nonzero one would be silently dropped, so it is refused.
    const offCentre = [input, weights.name, output].find((name) => importer.tensor(name).quant?.zeroPoint.some((z) => z !== 0));
    if (offCentre !== undefined) throw new UserError(`'${offCentre}' has a nonzero zero point; 16x8 quantization has none, and TFLM's 16x8 convolution ignores it`);
  }
  const { attrs, outputHW } = windowAttrs({ padding: geometry.padding, kernel: [kh, kw], strides: geometry.strides, dilations: geometry.dilations }, [h, w]);
  requireOutputShape(importer, output, [n, ...outputHW, outC]);
  const bounds = activationBounds(geometry.activation);
  const clamp = bounds && tfliteClamp(bounds, importer.tensor(output).quant, sixteen ? 'int16' : 'int8');
  return [{ name: op.name, op: sixteen ? 'Conv16x8' : 'QLinearConv', inputs: [input, ...inputs], outputs: [output], attrs: { ...attrs, group, ...(clamp ? { clamp } : {}) } }];
}

/**
 * A 16x8 FULLY_CONNECTED (int16 input, int8 weights [N, K], int64 or int32 bias): TFLM's int16 FC
 * is the arithmetic of a 1x1 Conv16x8 over K channels (the same sums, bias and requantization
 * paths), except that per-tensor weights form s_x · s_w in float32 (GetQuantizedConvolutionMultipler),
 * which attrs.scale_product says. The input is viewed as [1, rows, 1, K] and the result as the file's
 * output shape; the weights [N, K] are already OHWI [N][1][1][K].
 */
export function importFullyConnected16x8(op: OperatorView, importer: TfliteImporter, input: string): Node[] {
  const options = op.operator.options('FullyConnectedOptions');
  const [, weightsIndex, biasIndex = -1] = op.operator.inputs;
  const weights = importer.tensor(importer.constant(weightsIndex, 'weights'));
  if (weights.dtype !== 'int8' || weights.shape.length !== 2) throw new UserError(`the weights '${weights.name}' must be int8 [out, in], got ${weights.dtype} [${weights.shape}]`);
  const [n, k] = weights.shape as [number, number];
  const quant = weights.quant;
  if (!quant) throw new UserError(`the weights '${weights.name}' are not quantized`);
  if (quant.scale.length > 1 && (quant.axis !== 0 || quant.scale.length !== n)) {
    throw new UserError(`the weights '${weights.name}' have ${quant.scale.length} scales along dimension ${quant.axis}; per-channel weights need one per output channel (${n}, dimension 0)`);
  }
  const x = importer.tensor(input);
  const total = elementCount(x.shape);
  if (total % k !== 0) throw new UserError(`the input [${x.shape}] does not flatten to rows of ${k} (the weights' input size)`);
  const rows = total / k;
  const kernelWeights = uniqueName(importer.graph, `${weights.name}_ohwi`);
  importer.graph.tensors.set(kernelWeights, { ...weights, name: kernelWeights, shape: [n, 1, 1, k] });
  const inputs = [kernelWeights];
  const bias = biasIndex >= 0 ? importer.tensor(importer.constant(biasIndex, 'bias')) : undefined;
  if (bias && (!['int64', 'int32'].includes(bias.dtype) || elementCount(bias.shape) !== n)) throw new UserError(`the bias '${bias.name}' must be int64 or int32 with ${n} values, got ${bias.dtype} [${bias.shape}]`);
  const output = importer.write(op.operator.outputs[0], 'output');
  requireActivation(importer, output, 'output', ['int16']);
  const y = importer.tensor(output);
  if (elementCount(y.shape) !== rows * n) throw new UserError(`the output [${y.shape}] does not hold the ${rows} x ${n} results`);
  // TFLM's int16 FC applies zero points, which 16x8 quantization leaves at 0. Conv16x8 reads none:
  // the weights' and the output's must be 0, and the input's folds into an int64 bias.
  const offCentre = [weights.name, output].find((name) => importer.tensor(name).quant?.zeroPoint.some((z) => z !== 0));
  if (offCentre !== undefined) throw new UserError(`'${offCentre}' has a nonzero zero point; 16x8 quantization has none, and tinygen's 16x8 FULLY_CONNECTED takes none (TFLM's applies them)`);
  const inputZeroPoint = x.quant?.zeroPoint[0] ?? 0;
  if (inputZeroPoint !== 0) inputs.push(foldInputZeroPoint(importer, weights, bias, inputZeroPoint, n, k));
  else if (bias) inputs.push(bias.name);
  const bounds = activationBounds(options?.fusedActivationFunction ?? 0);
  const clamp = bounds && tfliteClamp(bounds, y.quant, 'int16');
  const pixels = importer.intermediate(`${input}_pixels`, 'int16', x.quant);
  const products = importer.intermediate(`${output}_pixels`, 'int16', y.quant);
  const { attrs } = windowAttrs({ padding: Padding.VALID, kernel: [1, 1], strides: [1, 1], dilations: [1, 1] }, [rows, 1]);
  return [
    { name: `${op.name}_flatten`, op: 'Reshape', inputs: [input], outputs: [pixels], attrs: { shape: [1, rows, 1, k], allowzero: 0 } },
    {
      name: op.name,
      op: 'Conv16x8',
      inputs: [pixels, ...inputs],
      outputs: [products],
      attrs: { ...attrs, group: 1, ...(quant.scale.length === 1 ? { scale_product: 'float32' } : {}), ...(clamp ? { clamp } : {}) },
    },
    { name: `${op.name}_unflatten`, op: 'Reshape', inputs: [products], outputs: [output], attrs: { shape: [...y.shape], allowzero: 0 } },
  ];
}

/**
 * TFLM's int16 FC with an int64 (or no) bias sums w · (x + input_offset) in int64 with
 * input_offset = -z_x, which is Σ w·x plus -z_x Σ w: the second term joins the bias, exactly, in a
 * new int64 bias. With an int32 bias TFLM takes another path, which tinygen does not fold.
 */
function foldInputZeroPoint(importer: TfliteImporter, weights: Tensor, bias: Tensor | undefined, zeroPoint: number, n: number, k: number): string {
  if (bias?.dtype === 'int32') throw new UserError(`the input has zero point ${zeroPoint}; tinygen's 16x8 FULLY_CONNECTED folds it into an int64 bias, and '${bias.name}' is int32`);
  const w = weights.data as Int8Array;
  const given = bias?.data as BigInt64Array | undefined;
  const folded = BigInt64Array.from({ length: n }, (_, o) => {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += w[o * k + i]!;
    return (given?.[o] ?? 0n) + BigInt(-zeroPoint * sum);
  });
  const name = uniqueName(importer.graph, `${weights.name}_bias_with_input_zero_point`);
  importer.graph.tensors.set(name, { name, dtype: 'int64', shape: [n], data: folded, ...(bias?.quant ? { quant: bias.quant } : {}) });
  return name;
}

/**
 * The weights as the IR's conv reads them: the file's own constant, or, for a depthwise layer over
 * one input channel (one group: an ordinary conv), a new one in OHWI order.
 */
function kernelWeights(importer: TfliteImporter, weights: Tensor, geometry: ConvGeometry, group: number): string {
  const quant = weights.quant;
  if (!quant) throw new UserError(`the weights '${weights.name}' are not quantized`);
  const channels = weights.shape[geometry.channelAxis]!;
  if (quant.scale.length > 1 && (quant.axis !== geometry.channelAxis || quant.scale.length !== channels)) {
    throw new UserError(`the weights '${weights.name}' have ${quant.scale.length} scales along dimension ${quant.axis}; per-channel weights need one per output channel (${channels}, dimension ${geometry.channelAxis})`);
  }
  if (!geometry.depthwise || group > 1) return weights.name;
  // [1][k_h][k_w][M] → [M][k_h][k_w][1]: taps major becomes channels major.
  const [, kh, kw, outC] = weights.shape as [number, number, number, number];
  const source = weights.data as Int8Array;
  const data = new Int8Array(source.length);
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) for (let oc = 0; oc < outC; oc++) data[oc * taps + t] = source[t * outC + oc]!;
  const name = uniqueName(importer.graph, `${weights.name}_ohwi`);
  importer.graph.tensors.set(name, { name, dtype: 'int8', shape: [outC, kh, kw, 1], data, quant: quant.scale.length > 1 ? { ...quant, axis: 0 } : quant });
  return name;
}
