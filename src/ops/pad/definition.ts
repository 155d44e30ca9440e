/**
 * Pad (modes constant, reflect, edge, wrap; negative pads crop) as one axis-map gather
 * (src/ops/common/axis-map.ts). Imported from plain ONNX Pad (int8/uint8 data; int32 and float32
 * move the same way) and from DQ → Pad → Q ('qdq'), where the constant value is quantized as its
 * DequantizeLinear says (usually the input's quantization, so usually the zero point), or, when
 * it is a float constant, quantized with the output's. pads and constant_value are inputs from
 * opset 11 on, attributes before; the optional axes input is opset 18's. 4-D pads run on NHWC.
 * Reflect pads must be smaller than the axis and wrap pads at most its size: ONNX Runtime reads
 * memory outside the input beyond those.
 */
import type { DType, Graph, Node } from '../../ir/graph.ts';
import { quantizedRange, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions, LayoutKind, OutputInfo } from '../op.ts';
import { constantData, requireDtype } from '../common/values.ts';
import { normalizeAxes } from '../common/axes.ts';
import { checkAxisMapRank, stridesOf, type AxisMap } from '../common/axis-map.ts';
import { quantizeOnnx, requantTable, sameQuantization } from '../common/requant-table.ts';

const TO_NHWC = [0, 2, 3, 1];

export type PadParams = AxisMap;

const label = (node: Node) => `node '${node.name}' (Pad)`;

/** Full-rank [begin_0 .. begin_r-1, end_0 .. end_r-1] pads from the given pads and axes. */
function fullPads(node: Node, rank: number): number[] {
  const pads = node.attrs.pads as number[];
  const given = node.attrs.axes as number[] | undefined;
  const axes = given ? normalizeAxes(label(node), given, rank) : Array.from({ length: rank }, (_, i) => i);
  if (pads.length !== 2 * axes.length) throw new UserError(`${label(node)}: ${pads.length} pads for ${axes.length} axes (need ${2 * axes.length})`);
  const full = new Array<number>(2 * rank).fill(0);
  axes.forEach((a, i) => {
    full[a] = pads[i]!;
    full[a + rank] = pads[i + axes.length]!;
  });
  return full;
}

export function inferPad(node: Node, graph: Graph): OutputInfo[] {
  const x = tensorOf(graph, node.inputs[0]!);
  const qdq = node.attrs.qdq === 1;
  requireDtype(node, x, qdq ? ['int8', 'uint8', 'int16'] : ['int8', 'uint8', 'int16', 'int32', 'float32'], 'input');
  const rank = x.shape.length;
  checkAxisMapRank(label(node), rank);
  const pads = fullPads(node, rank);
  node.attrs.pads = pads;
  delete node.attrs.axes;
  node.attrs.dataType = x.dtype;
  const mode = node.attrs.mode as string;
  const shape = x.shape.map((n, d) => {
    const [b, e] = [pads[d]!, pads[d + rank]!];
    const extent = n + Math.min(b, 0) + Math.min(e, 0);
    const out = extent + Math.max(b, 0) + Math.max(e, 0);
    if (extent < 1 || out < 1) throw new UserError(`${label(node)}: pads [${b}, ${e}] leave nothing of axis ${d} (size ${n})`);
    if (mode === 'reflect' && Math.max(b, e) > extent - 1) throw new UserError(`${label(node)}: reflect pads [${b}, ${e}] must be smaller than axis ${d}'s size ${extent}`);
    if (mode === 'wrap' && (b < 0 || e < 0 || Math.max(b, e) > n)) throw new UserError(`${label(node)}: wrap pads [${b}, ${e}] must be between 0 and axis ${d}'s size ${n}`);
    return out;
  });
  const value = node.inputs[1]!;
  if (value !== '') {
    const v = tensorOf(graph, value);
    if (qdq ? v.dtype !== 'float32' && !v.quant : v.dtype !== x.dtype) {
      throw new UserError(`${label(node)}: constant_value '${value}' is ${v.dtype}${qdq ? ' without quantization' : `, the data ${x.dtype}`}`);
    }
  }
  if (qdq) {
    const y = tensorOf(graph, node.outputs[0]!);
    requireDtype(node, y, ['int8', 'uint8', 'int16'], 'output');
    // int16 (from an int16 QDQ Pad) moves data only: no int16 requantization.
    if ((x.dtype === 'int16' || y.dtype === 'int16') && !(x.dtype === y.dtype && sameQuantization(x.quant, y.quant))) {
      throw new UserError(`${label(node)}: an int16 QDQ Pad needs the same type, scale and zero point on both sides; int16 requantization is not supported`);
    }
    return [{ shape }];
  }
  return [{ shape, dtype: x.dtype, ...(x.quant ? { quant: x.quant } : {}) }];
}

export function layoutPad(node: Node, graph: Graph): LayoutKind {
  return tensorOf(graph, node.inputs[0]!).shape.length === 4 ? 'permutable' : 'fixed';
}

export function padToNhwc(node: Node): void {
  const p = node.attrs.pads as number[];
  node.attrs.pads = [...TO_NHWC.map((a) => p[a]!), ...TO_NHWC.map((a) => p[a + 4]!)];
}

/** The index along an axis of `extent` elements that output position j (relative to the kept part) reads. */
function source(mode: string, j: number, extent: number): number {
  if (j >= 0 && j < extent) return j;
  switch (mode) {
    case 'edge':
      return j < 0 ? 0 : extent - 1;
    case 'reflect':
      return j < 0 ? -j : 2 * (extent - 1) - j;
    case 'wrap':
      return ((j % extent) + extent) % extent;
    default:
      return -1;
  }
}

/** The value of constant padding, in the output's storage type. */
function fillValue(node: Node, graph: Graph, options: CompileOptions): number {
  const y = tensorOf(graph, node.outputs[0]!);
  const name = node.inputs[1]!;
  if (node.attrs.qdq !== 1) {
    if (name !== '') return Number(constantData(graph, name)[0]!);
    const raw = node.attrs.value as number;
    if (node.attrs.dataType === 'float32') return raw;
    if (!Number.isInteger(raw)) throw new UserError(`${label(node)}: value ${raw} is not an integer of the ${node.attrs.dataType} data`);
    const [lo, hi] = quantizedRange(node.attrs.dataType as DType) ?? [-(2 ** 31), 2 ** 31 - 1];
    if (raw < lo || raw > hi) throw new UserError(`${label(node)}: value ${raw} does not fit the ${node.attrs.dataType} data`);
    return node.attrs.dataType === 'uint8' ? raw - 128 : raw;
  }
  const range = y.dtype === 'int16' ? ([-32768, 32767] as const) : undefined;
  if (name === '') return quantizeOnnx(node.attrs.value as number, y.quant!, range);
  const v = tensorOf(graph, name);
  const data = Number(constantData(graph, name)[0]!);
  if (!v.quant) return quantizeOnnx(data, y.quant!, range);
  if (sameQuantization(v.quant, y.quant)) return data;
  if (range) throw new UserError(`${label(node)}: the int16 constant_value '${name}' has another quantization than the output; int16 requantization is not supported`);
  return requantTable(options.rounding, node, v.quant, y.quant)[data + 128]!;
}

export function preparePad(node: Node, graph: Graph, options: CompileOptions): PadParams {
  const x = tensorOf(graph, node.inputs[0]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const pads = node.attrs.pads as number[];
  const mode = node.attrs.mode as string;
  const rank = x.shape.length;
  const strides = stridesOf(x.shape);
  const offsets = x.shape.map((n, d) => {
    const [b, e] = [pads[d]!, pads[d + rank]!];
    const start = Math.max(-b, 0);
    const extent = n + Math.min(b, 0) + Math.min(e, 0);
    return Array.from({ length: y.shape[d]! }, (_, o) => {
      const i = source(mode, o - Math.max(b, 0), extent);
      return i < 0 ? -1 : (start + i) * strides[d]!;
    });
  });
  const requantize = node.attrs.qdq === 1 && !(x.dtype === y.dtype && sameQuantization(x.quant, y.quant));
  const params: PadParams = {
    outShape: [...y.shape],
    offsets,
    fill: mode === 'constant' ? fillValue(node, graph, options) : 0,
    ...(requantize ? { table: requantTable(options.rounding, node, x.quant, y.quant) } : {}),
  };
  return params;
}
