/**
 * Resize, mode nearest (and the old Upsample), as one axis-map gather
 * (src/ops/common/axis-map.ts) whose per-axis index maps are computed here, at compile time,
 * with ONNX Runtime's float32 arithmetic: every coordinate_transformation_mode and nearest_mode
 * ONNX defines, scales or sizes (with axes and keep_aspect_ratio_policy, opset 18) as constants.
 * Imported from plain ONNX Resize / Upsample (int8/uint8 data; int32 and float32 move the same
 * way) and from DQ → Resize → Q
 * ('qdq', requantizing when the two sides are quantized differently). 4-D runs on NHWC.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { requireDtype } from '../common/values.ts';
import { normalizeAxes } from '../common/axes.ts';
import { checkAxisMapRank, stridesOf, type AxisMap } from '../common/axis-map.ts';
import { quantizeOnnx, requantTable, sameQuantization } from '../common/requant-table.ts';

export type ResizeParams = AxisMap;

const f32 = Math.fround;
const TO_NHWC = [0, 2, 3, 1];

const label = (node: Node) => `node '${node.name}' (${node.attrs.upsample ? 'Upsample' : 'Resize'})`;

/** Full-rank float32 scales and the output shape, as ONNX Runtime derives them. */
function resolveScales(node: Node, inShape: readonly number[]): { scales: number[]; shape: number[] } {
  const rank = inShape.length;
  const given = node.attrs.axes as number[] | undefined;
  const axes = given ? normalizeAxes(label(node), given, rank) : Array.from({ length: rank }, (_, i) => i);
  const list = (values: number[], what: string) => {
    if (values.length !== axes.length) throw new UserError(`${label(node)}: ${values.length} ${what} for ${axes.length} axes`);
    return values;
  };
  let scales: number[];
  let shape: number[];
  if (node.attrs.scales) {
    const s = list(node.attrs.scales as number[], 'scales');
    scales = inShape.map(() => 1);
    axes.forEach((a, i) => (scales[a] = f32(s[i]!)));
    shape = inShape.map((n, d) => Math.trunc(f32(scales[d]! * n)));
  } else {
    const s = list(node.attrs.sizes as number[], 'sizes');
    shape = [...inShape];
    axes.forEach((a, i) => (shape[a] = s[i]!));
    scales = shape.map((o, d) => f32(o / inShape[d]!));
    const policy = node.attrs.policy as string;
    if (policy !== 'stretch') {
      const picked = axes.map((a) => scales[a]!);
      const scale = policy === 'not_larger' ? Math.min(...picked) : Math.max(...picked);
      scales = inShape.map((_, d) => (axes.includes(d) ? scale : 1));
      shape = inShape.map((n, d) => (axes.includes(d) ? roundHalfAway(f32(scale * n)) : n));
    }
  }
  for (const s of scales) {
    if (!(s > 0)) throw new UserError(`${label(node)}: scale ${s} must be positive`);
    if (node.attrs.upsample && s < 1) throw new UserError(`${label(node)}: Upsample scale ${s} must be at least 1`);
  }
  if (shape.some((d) => d < 1)) throw new UserError(`${label(node)}: the output shape [${shape}] is empty`);
  return { scales, shape };
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function inferResize(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  requireDtype(node, x, node.attrs.qdq ? ['int8', 'uint8'] : ['int8', 'uint8', 'int32', 'float32'], 'input');
  checkAxisMapRank(label(node), x.shape.length);
  const { scales, shape } = resolveScales(node, x.shape);
  const rank = shape.length;
  const roi = node.attrs.roi as number[] | undefined;
  const full = [...new Array<number>(rank).fill(0), ...new Array<number>(rank).fill(1)];
  if (roi) {
    const given = node.attrs.axes as number[] | undefined;
    const axes = given ? normalizeAxes(label(node), given, rank) : Array.from({ length: rank }, (_, i) => i);
    if (roi.length !== 2 * axes.length) throw new UserError(`${label(node)}: roi has ${roi.length} values for ${axes.length} axes`);
    axes.forEach((a, i) => {
      full[a] = f32(roi[i]!);
      full[a + rank] = f32(roi[i + axes.length]!);
    });
  }
  node.attrs.dataType = x.dtype;
  node.attrs.fullScales = scales;
  node.attrs.fullRoi = full;
  if (node.attrs.qdq) {
    requireDtype(node, tensorOf(graph, node.outputs[0]!), ['int8', 'uint8'], 'output');
    return [{ shape }];
  }
  return [{ shape, dtype: x.dtype, ...(x.quant ? { quant: x.quant } : {}) }];
}

export function layoutResize(node: Node, graph: Graph): LayoutKind {
  return tensorOf(graph, node.inputs[0]!).shape.length === 4 ? 'permutable' : 'fixed';
}

export function resizeToNhwc(node: Node): void {
  const s = node.attrs.fullScales as number[];
  const r = node.attrs.fullRoi as number[];
  node.attrs.fullScales = TO_NHWC.map((a) => s[a]!);
  node.attrs.fullRoi = [...TO_NHWC.map((a) => r[a]!), ...TO_NHWC.map((a) => r[a + 4]!)];
}

/** ONNX Runtime's coordinate transformation (float32 steps; two modes pass through double). */
export function originalCoordinate(mode: string, x: number, scale: number, outLen: number, inLen: number, roiStart: number, roiEnd: number): number {
  switch (mode) {
    case 'asymmetric':
      return f32(x / scale);
    case 'pytorch_half_pixel':
      return outLen > 1 ? f32(f32(f32(x + 0.5) / scale) - 0.5) : 0;
    case 'tf_half_pixel_for_nn':
      return f32(f32(x + 0.5) / scale);
    case 'align_corners':
      return outLen === 1 ? 0 : f32(f32(x * f32(inLen - 1)) / f32(outLen - 1));
    case 'tf_crop_and_resize':
      return outLen > 1
        ? f32(f32(roiStart * f32(inLen - 1)) + f32(f32(f32(x * f32(roiEnd - roiStart)) * f32(inLen - 1)) / f32(outLen - 1)))
        : f32(0.5 * f32(roiStart + roiEnd) * f32(inLen - 1));
    case 'half_pixel_symmetric': {
      const outputWidth = f32(scale * inLen);
      const adjustment = f32(outLen / outputWidth);
      const center = f32(inLen / 2);
      const offset = f32(center * f32(1 - adjustment));
      return f32(offset + (x + 0.5) / scale - 0.5);
    }
    default: // half_pixel
      return f32(f32(f32(x + 0.5) / scale) - 0.5);
  }
}

/**
 * ONNX Runtime 1.30's nearest pixel (before clamping to the axis). Measured against its binary:
 * the two round_prefer modes treat a coordinate within 1e-6 of a half-way point as half-way
 * (e.g. 3.4999998, which is 1 / fround(2 / 7), rounds to 4 under round_prefer_ceil), while
 * floor and ceil have no such tolerance.
 */
export function nearestPixel(mode: string, x: number, downsample: boolean): number {
  const halfway = Math.abs(x - Math.floor(x) - 0.5) < HALFWAY_TOLERANCE;
  switch (mode) {
    case 'simple':
      return downsample ? Math.ceil(x) : Math.trunc(x);
    case 'round_prefer_ceil':
      return halfway ? Math.ceil(x) : roundHalfAway(x);
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    default: // round_prefer_floor
      return halfway ? Math.floor(x) : roundHalfAway(x);
  }
}

const HALFWAY_TOLERANCE = 1e-6;

/**
 * The extrapolation value in the data's type, as ONNX Runtime's x86-64 build converts it (C's
 * float → integer conversion: truncate; 8-bit types keep the low byte), in int8 terms.
 */
function castToData(value: number, dtype: string): number {
  if (dtype === 'float32') return f32(value);
  if (dtype === 'int32') return Math.abs(value) < 2 ** 31 ? Math.trunc(value) : -(2 ** 31);
  const low = ((Math.trunc(value) % 256) + 256) % 256;
  return dtype === 'uint8' ? low - 128 : low >= 128 ? low - 256 : low;
}

export function prepareResize(node: Node, graph: Graph, options: CompileOptions): ResizeParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const scales = node.attrs.fullScales as number[];
  const roi = node.attrs.fullRoi as number[];
  const mode = node.attrs.transform as string;
  const rank = x.shape.length;
  const strides = stridesOf(x.shape);
  const extrapolate = mode === 'tf_crop_and_resize';
  const unchanged = x.shape.every((n, d) => n === y.shape[d]);
  const offsets = x.shape.map((inLen, d) => {
    const outLen = y.shape[d]!;
    const scale = scales[d]!;
    // ONNX Runtime copies a tensor whose shape does not change, and maps an axis of scale 1 one
    // to one (except in rank-1 tensors), whatever the coordinate transformation says.
    if (unchanged || (scale === 1 && rank > 1)) return Array.from({ length: outLen }, (_, o) => o * strides[d]!);
    return Array.from({ length: outLen }, (_, o) => {
      const original = originalCoordinate(mode, o, scale, outLen, inLen, roi[d]!, roi[d + rank]!);
      if (extrapolate && (original < 0 || original > inLen - 1)) return -1;
      const i = Math.min(Math.max(nearestPixel(node.attrs.nearest as string, original, scale < 1), 0), inLen - 1);
      return i * strides[d]!;
    });
  });
  const requantize = node.attrs.qdq === 1 && !(x.dtype === y.dtype && sameQuantization(x.quant, y.quant));
  const extrapolation = node.attrs.extrapolation as number;
  const params: ResizeParams = {
    outShape: [...y.shape],
    offsets,
    fill: node.attrs.qdq ? quantizeOnnx(extrapolation, y.quant!) : castToData(extrapolation, node.attrs.dataType as string),
    ...(requantize ? { table: requantTable(options.rounding, node, x.quant, y.quant) } : {}),
  };
  return params;
}
