/**
 * STRIDED_SLICE → StridedSlice. The constant begin, end and strides and the begin, end and
 * shrink masks are resolved here exactly as TFLM's StartForAxis / StopForAxis
 * (tensorflow/lite/kernels/internal/strided_slice_logic.h) do, so the IR op only sees in-range
 * positions: a masked begin or end means the whole axis in the stride's direction, a negative
 * index counts from the end, and positions clamp to [0, size] forwards or [-1, size - 1] backwards.
 */
import type { Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { OperatorView, TfliteImporter } from './importer.ts';
import { checked, quantizedOperands, requireSameQuantization } from './import-elementwise.ts';

const clampTo = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** TFLM's position clamp: a forward walk may stop at size, a backward one at -1. */
function resolvePosition(position: number, size: number, step: number): number {
  const counted = position < 0 ? position + size : position;
  return step > 0 ? clampTo(counted, 0, size) : clampTo(counted, -1, size - 1);
}

export function importStridedSlice(op: OperatorView, importer: TfliteImporter): Node[] {
  const options = op.operator.options('StridedSliceOptions');
  if (options?.ellipsisMask) throw new UserError(`ellipsis_mask ${options.ellipsisMask} is not supported`);
  if (options?.newAxisMask) throw new UserError(`new_axis_mask ${options.newAxisMask} is not supported`);
  if (options?.offset) throw new UserError('offset (end relative to begin) is not supported');
  const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
  requireSameQuantization(importer, inputs, output);
  const [, beginIndex, endIndex, stridesIndex] = op.operator.inputs;
  const [begin, end, strides] = [
    importer.integers(beginIndex ?? -1, 'begin'),
    importer.integers(endIndex ?? -1, 'end'),
    importer.integers(stridesIndex ?? -1, 'strides'),
  ];
  const inShape = importer.tensor(inputs[0]!).shape;
  const rank = inShape.length;
  if (begin.length !== rank || end.length !== rank || strides.length !== rank) {
    throw new UserError(`begin, end and strides hold ${begin.length}, ${end.length} and ${strides.length} values; the rank-${rank} input needs ${rank} each`);
  }
  const [beginMask, endMask, shrinkMask] = [options?.beginMask ?? 0, options?.endMask ?? 0, options?.shrinkAxisMask ?? 0];
  const starts: number[] = [];
  const counts: number[] = [];
  const shape: number[] = [];
  inShape.forEach((size, a) => {
    const step = strides[a]!;
    const bit = 1 << a;
    if (step === 0) throw new UserError(`the stride of axis ${a} is 0`);
    const shrink = (shrinkMask & bit) !== 0;
    // TFLM sizes a shrunk axis as ceil(1 / step), which is 0 for a negative step.
    if (shrink && step < 0) throw new UserError(`axis ${a} is shrunk with the negative stride ${step}`);
    const start = resolvePosition(beginMask & bit ? (step > 0 ? -Infinity : Infinity) : begin[a]!, size, step);
    const stop = shrink ? start + 1 : resolvePosition(endMask & bit ? (step > 0 ? Infinity : -Infinity) : end[a]!, size, step);
    const count = Math.max(0, Math.ceil((stop - start) / step));
    if (count === 0) throw new UserError(`axis ${a} of size ${size} slices to nothing (begin ${begin[a]}, end ${end[a]}, stride ${step}); empty tensors are not supported`);
    starts.push(start);
    counts.push(count);
    if (!shrink) shape.push(count);
  });
  return checked(importer, { name: op.name, op: 'StridedSlice', inputs, outputs: [output], attrs: { starts, steps: strides, counts, shape } });
}
