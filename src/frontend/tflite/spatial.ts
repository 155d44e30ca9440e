/**
 * What the TFLite conv and pool importers share: TFLite's padding rule, the NCHW view the IR's
 * spatial ops expect, and a fused activation as a separate Clamp for ops that do not requantize.
 */
import type { AttrValue, Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { Padding } from './schema.ts';
import { activationBounds, tfliteClamp, type TfliteImporter } from './importer.ts';

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

export interface WindowOptions {
  padding: number;
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
}

/**
 * The IR window attributes for TFLite's padding, with explicit pads: SAME gives
 * out = ceil(in / stride) and pads the shortfall, the odd pixel at the end; VALID pads nothing.
 * Returns the output [H, W] too, so the caller can check it against the file's output shape.
 */
export function windowAttrs(options: WindowOptions, inputHW: [number, number]): { attrs: Record<string, AttrValue>; outputHW: [number, number] } {
  if (options.padding !== Padding.SAME && options.padding !== Padding.VALID) throw new UserError(`padding ${options.padding} is not SAME (0) or VALID (1)`);
  const values = [...options.kernel, ...options.strides, ...options.dilations];
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UserError(`filter [${options.kernel}], strides [${options.strides}] and dilations [${options.dilations}] must all be >= 1`);
  }
  const pads = [0, 0, 0, 0];
  const outputHW = [0, 1].map((d) => {
    const span = (options.kernel[d]! - 1) * options.dilations[d]! + 1;
    const stride = options.strides[d]!;
    const input = inputHW[d]!;
    if (options.padding === Padding.VALID) return Math.floor((input - span) / stride) + 1;
    const out = Math.ceil(input / stride);
    const total = Math.max(0, (out - 1) * stride + span - input);
    pads[d] = Math.floor(total / 2);
    pads[d + 2] = total - pads[d]!;
    return out;
  }) as [number, number];
  if (outputHW.some((v) => v < 1)) throw new UserError(`the window [${options.kernel}] does not fit the input [${inputHW}]`);
  return {
    attrs: { kernel_shape: [...options.kernel], strides: [...options.strides], dilations: [...options.dilations], pads, auto_pad: 'NOTSET', ceil_mode: 0 },
    outputHW,
  };
}

/** Checks the file's NHWC output shape against the one the window gives. */
export function requireOutputShape(importer: TfliteImporter, output: string, expected: number[]): void {
  const shape = importer.tensor(output).shape;
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    throw new UserError(`the output '${output}' has shape [${shape}], the operator computes [${expected}]`);
  }
}

/** An NHWC activation's [N, H, W, C]. */
export function nhwcDims(importer: TfliteImporter, name: string, role: string): [number, number, number, number] {
  const shape = importer.tensor(name).shape;
  if (shape.length !== 4) throw new UserError(`the ${role} '${name}' must be 4-D NHWC, got [${shape}]`);
  return shape as [number, number, number, number];
}

/** Where an NHWC axis sits in the NCHW view. */
export function nchwAxis(nhwcAxis: number): number {
  return NHWC_TO_NCHW.indexOf(nhwcAxis);
}

/** Per-axis values (a 4-D pad list, begins then ends) from NHWC order into NCHW order. */
export function nchwOrder(nhwc: readonly number[]): number[] {
  return NHWC_TO_NCHW.map((a) => nhwc[a]!);
}

/**
 * Runs an IR op that follows ONNX's NCHW convention on the model's NHWC tensors: a Transpose to
 * NCHW before it and one back after it, which the layout pass cancels against its NHWC twins.
 * The IR gives 4-D pads, concatenations and windows this NCHW meaning, and runs them in NHWC.
 */
export function throughNchw(importer: TfliteImporter, name: string, inputs: string[], output: string, make: (xs: string[], y: string) => Node): Node[] {
  const y = importer.tensor(output);
  const yNchw = importer.intermediate(`${output}_nchw`, y.dtype, y.quant);
  const toNchw = inputs.map((input, i): Node => {
    const x = importer.tensor(input);
    const xNchw = importer.intermediate(`${input}_nchw`, x.dtype, x.quant);
    return { name: `${name}_to_nchw${inputs.length > 1 ? `_${i}` : ''}`, op: 'Transpose', inputs: [input], outputs: [xNchw], attrs: { perm: NHWC_TO_NCHW } };
  });
  return [
    ...toNchw,
    make(
      toNchw.map((n) => n.outputs[0]!),
      yNchw,
    ),
    { name: `${name}_to_nhwc`, op: 'Transpose', inputs: [yNchw], outputs: [output], attrs: { perm: NCHW_TO_NHWC } },
  ];
}

/**
 * For ops that keep their input's quantization (pools, TRANSPOSE, PAD ...): the fused activation
 * as a Clamp on the result. Returns the tensor the op itself should write and the extra nodes.
 */
export function clampedOutput(importer: TfliteImporter, name: string, output: string, activation: number): { target: string; clamp: Node[] } {
  const bounds = activationBounds(activation);
  if (!bounds) return { target: output, clamp: [] };
  const y = importer.tensor(output);
  const target = importer.intermediate(`${output}_unclamped`, y.dtype, y.quant);
  importer.tensor(target).shape = [...y.shape];
  return { target, clamp: [{ name: `${name}_activation`, op: 'Clamp', inputs: [target], outputs: [output], attrs: { clamp: tfliteClamp(bounds, y.quant) } }] };
}
