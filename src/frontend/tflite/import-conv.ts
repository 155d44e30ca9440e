/**
 * CONV_2D and DEPTHWISE_CONV_2D → QLinearConv (TFLM's int8 convolutions: per-tensor or
 * per-output-channel weights, int32 bias, fused activation in the requantization clamp).
 * The IR's conv is ONNX's: NCHW activations and OIHW weights, a depthwise layer being the
 * grouped conv with one input channel per group. The weights are reordered here, once.
 */
import type { Node, Tensor } from '../../ir/graph.ts';
import { elementCount, uniqueName } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { stridesOf } from '../../ops/common/axis-map.ts';
import { activationBounds, requireInt8Activation, tfliteClamp, type OperatorView, type TfliteImporter } from './importer.ts';
import { nhwcDims, requireOutputShape, throughNchw, windowAttrs } from './spatial.ts';

/** TFLite's OHWI → the IR's OIHW (and, for depthwise, 1HW(C·M) → (C·M)1HW). */
const OHWI_TO_OIHW = [0, 3, 1, 2];
const DEPTHWISE_TO_OIHW = [3, 0, 1, 2];

interface ConvGeometry {
  padding: number;
  strides: [number, number];
  dilations: [number, number];
  activation: number;
  /** The IR's group count from the input channels and the file's weight shape (one group for CONV_2D, one per channel for depthwise). */
  group: (inputChannels: number, weightShape: readonly number[]) => number;
  /** Weight permutation into OIHW. */
  perm: number[];
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
    perm: OHWI_TO_OIHW,
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
    perm: DEPTHWISE_TO_OIHW,
    channelAxis: 3,
  });
}

function importConv(op: OperatorView, importer: TfliteImporter, geometry: ConvGeometry): Node[] {
  const [inputIndex, weightsIndex, biasIndex = -1] = op.operator.inputs;
  const input = importer.read(inputIndex, 'input');
  requireInt8Activation(importer, input, 'input');
  const [n, h, w, c] = nhwcDims(importer, input, 'input');
  const weights = importer.tensor(importer.constant(weightsIndex, 'weights'));
  if (weights.dtype !== 'int8' || weights.shape.length !== 4) throw new UserError(`the weights '${weights.name}' must be int8 4-D, got ${weights.dtype} [${weights.shape}]`);
  const group = geometry.group(c, weights.shape);
  const irWeights = oihwWeights(importer, weights, geometry);
  const [outC, inPerGroup, kh, kw] = importer.tensor(irWeights).shape as [number, number, number, number];
  if (inPerGroup * group !== c) throw new UserError(`the weights [${weights.shape}] do not take ${c} input channels`);
  const inputs = [irWeights];
  if (biasIndex >= 0) {
    const bias = importer.tensor(importer.constant(biasIndex, 'bias'));
    if (bias.dtype !== 'int32' || elementCount(bias.shape) !== outC) throw new UserError(`the bias '${bias.name}' must be int32 with ${outC} values, got ${bias.dtype} [${bias.shape}]`);
    inputs.push(bias.name);
  }
  const output = importer.write(op.operator.outputs[0], 'output');
  requireInt8Activation(importer, output, 'output');
  const { attrs, outputHW } = windowAttrs({ padding: geometry.padding, kernel: [kh, kw], strides: geometry.strides, dilations: geometry.dilations }, [h, w]);
  requireOutputShape(importer, output, [n, ...outputHW, outC]);
  const bounds = activationBounds(geometry.activation);
  const clamp = bounds && tfliteClamp(bounds, importer.tensor(output).quant);
  return throughNchw(importer, op.name, [input], output, ([x], y) => ({
    name: op.name,
    op: 'QLinearConv',
    inputs: [x!, ...inputs],
    outputs: [y],
    attrs: { ...attrs, group, ...(clamp ? { clamp } : {}) },
  }));
}

/** A new constant: the weights in OIHW order, their per-channel scales along dimension 0. */
function oihwWeights(importer: TfliteImporter, weights: Tensor, geometry: ConvGeometry): string {
  const quant = weights.quant;
  if (!quant) throw new UserError(`the weights '${weights.name}' are not quantized`);
  const channels = weights.shape[geometry.channelAxis]!;
  if (quant.scale.length > 1 && (quant.axis !== geometry.channelAxis || quant.scale.length !== channels)) {
    throw new UserError(`the weights '${weights.name}' have ${quant.scale.length} scales along dimension ${quant.axis}; per-channel weights need one per output channel (${channels}, dimension ${geometry.channelAxis})`);
  }
  const shape = geometry.perm.map((a) => weights.shape[a]!);
  const source = weights.data as Int8Array;
  const data = new Int8Array(source.length);
  const sourceStrides = stridesOf(weights.shape);
  const stepOf = geometry.perm.map((a) => sourceStrides[a]!);
  const index = [0, 0, 0, 0];
  for (let i = 0; i < data.length; i++) {
    data[i] = source[index.reduce((sum, v, d) => sum + v * stepOf[d]!, 0)]!;
    for (let d = 3; d >= 0 && ++index[d]! === shape[d]; d--) index[d] = 0;
  }
  const name = uniqueName(importer.graph, `${weights.name}_oihw`);
  importer.graph.tensors.set(name, { name, dtype: 'int8', shape, data, quant: quant.scale.length > 1 ? { ...quant, axis: 0 } : quant });
  return name;
}
