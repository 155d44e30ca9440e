/**
 * What the TFLite conv and pool importers share: TFLite's padding rule, the NHWC shapes, and a
 * fused activation as a separate Clamp for ops that do not requantize.
 */
import type { AttrValue, Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { Padding } from './schema.ts';
import { activationBounds, tfliteClamp, type TfliteImporter } from './importer.ts';

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
