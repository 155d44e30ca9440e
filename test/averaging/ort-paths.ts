/**
 * QDQ averaging models in the graph positions where ONNX Runtime (x86-64) runs them differently:
 * its int8 → uint8 rewrite of one-to-one QuantizeLinear → DequantizeLinear pairs decides whether a
 * DQ → AveragePool | GlobalAveragePool → Q pattern becomes its uint8 QLinear kernel, stays its int8
 * one, or runs in float (see src/frontend/onnx/qdq/ort-qdq.ts). ReduceMean, never fused, is here too.
 */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { ortKernel, type OrtKernel } from '../helpers/ort.ts';
import { int, pick, type Rng } from './models.ts';

const f32 = Math.fround;

/** Where the pattern's quantized input comes from. */
export type Source =
  | 'int8-input' // an int8 graph input: no Q before the DQ
  | 'quantized-input' // float input → Q → DQ: a one-to-one pair
  | 'shared-dq' // float input → Q → DQ, the DQ also read by a Flatten → second output
  | 'conv'; // float input → Q → DQ → QDQ Conv → Q → DQ: the conv's output pair one-to-one
/** Where the pattern's output goes. */
export type Sink =
  | 'dq-output' // Q → DQ → float graph output: a one-to-one pair
  | 'int8-output' // Q → int8 graph output
  | 'shared-dq' // Q → DQ → float graph output and a Flatten → second output
  | 'two-dqs'; // Q → two DQs → two float outputs
export type Center = 'AveragePool' | 'GlobalAveragePool' | 'ReduceMean';

export interface PathSpec {
  center: Center;
  source: Source;
  sink: Sink;
  /** A Relu or Clip between the op and its Q (ORT drops it, and fuses, only when the Q's range implies it). */
  activation: 'none' | 'relu' | 'clip';
  /** Clip's bounds. */
  clip: [number, number];
  opset: number;
  shape: number[];
  attrs: Record<string, number | number[] | string>;
  x: { scale: number; zp: number };
  y: { scale: number; zp: number };
  summary: string;
}

export const SOURCES: readonly Source[] = ['int8-input', 'quantized-input', 'shared-dq', 'conv'];
export const SINKS: readonly Sink[] = ['dq-output', 'int8-output', 'shared-dq', 'two-dqs'];

/** A float32 scale: often a full mantissa (where adding the zero point in float rounds), now and then a short binary fraction (ties). */
const scale = (rng: Rng) => (rng() < 0.25 ? 2 ** -int(rng, 2, 6) * int(rng, 1, 3) : f32(2 ** -int(rng, 3, 7) * (1 + rng())));

export function randomPath(rng: Rng, center: Center, fixed: Partial<PathSpec> = {}): PathSpec {
  const source = fixed.source ?? pick(rng, SOURCES);
  const sink = fixed.sink ?? pick(rng, SINKS);
  const opset = fixed.opset ?? pick(rng, [13, 13, 19]);
  const channels = rng() < 0.3 ? 16 * int(rng, 1, 2) : int(rng, 1, 12);
  const attrs: Record<string, number | number[] | string> = {};
  let shape: number[];
  if (center === 'AveragePool') {
    const k = [int(rng, 2, 5), int(rng, 2, 5)];
    const global = rng() < 0.15;
    const s = global ? [1, 1] : [int(rng, 1, 4), int(rng, 1, 4)];
    shape = [int(rng, 1, 2), channels, global ? k[0]! : int(rng, k[0]!, 14), global ? k[1]! : int(rng, k[1]!, 14)];
    const padded = !global && rng() < 0.5;
    attrs.kernel_shape = k;
    attrs.strides = s;
    attrs.pads = padded ? [int(rng, 0, k[0]! - 1), int(rng, 0, k[1]! - 1), int(rng, 0, k[0]! - 1), int(rng, 0, k[1]! - 1)] : [0, 0, 0, 0];
    attrs.count_include_pad = int(rng, 0, 1);
    attrs.ceil_mode = global ? 0 : rng() < 0.3 ? 1 : 0;
  } else if (center === 'GlobalAveragePool') {
    shape = [int(rng, 1, 2), channels, int(rng, 1, 9), int(rng, 1, 9)];
  } else {
    shape = [int(rng, 1, 2), channels, int(rng, 1, 9), int(rng, 1, 9)];
    attrs.axes = [2, 3];
    attrs.keepdims = int(rng, 0, 1);
  }
  const x = { scale: scale(rng), zp: int(rng, -20, 20) };
  const same = rng() < 0.5;
  const activation = fixed.activation ?? (rng() < 0.8 ? 'none' : rng() < 0.5 ? 'relu' : 'clip');
  const y = same ? { ...x } : { scale: scale(rng), zp: activation !== 'none' && rng() < 0.5 ? -128 : int(rng, -20, 20) };
  // Clip bounds around the output range: sometimes covering it (redundant), sometimes cutting into it.
  const edge = (q: number) => f32((q - y.zp) * y.scale * (rng() < 0.5 ? 1.25 : 0.5));
  const clip: [number, number] = [edge(-128), edge(127)];
  const spec: PathSpec = { center, source, sink, activation, clip, opset, shape, attrs, x, y, summary: '', ...fixed };
  const act = spec.activation === 'none' ? '' : spec.activation === 'relu' ? ' relu' : ` clip[${spec.clip}]`;
  spec.summary = `${center} ${spec.source} → ${spec.sink}${act} opset${spec.opset} [${spec.shape}] ${JSON.stringify(spec.attrs)} x${JSON.stringify(spec.x)} y${JSON.stringify(spec.y)}`;
  return spec;
}

/** Adds one pattern to `g`: its inputs are named x<i>..., its outputs y<i>_<j>. */
function addPattern(g: GraphBuilder, spec: PathSpec, rng: Rng, index: number): { name: string; type: 'float32' | 'int8' }[] {
  const sc = (q: { scale: number; zp: number }) => [g.scalar(q.scale), g.scalar(q.zp, 'int8')] as const;
  const quantize = (t: string, q: { scale: number; zp: number }) => g.node('QuantizeLinear', [t, ...sc(q)])[0]!;
  const dequantize = (t: string, q: { scale: number; zp: number }) => g.node('DequantizeLinear', [t, ...sc(q)])[0]!;
  const outputs: { name: string; type: 'float32' | 'int8' }[] = [];
  const input = `x${index}`;

  let xdq: string;
  if (spec.source === 'int8-input') {
    xdq = dequantize(g.input(input, 'int8', spec.shape), spec.x);
  } else if (spec.source === 'conv') {
    // A 1x1 QDQ convolution producing the pattern's input, as after any quantized layer.
    const c = spec.shape[1]!;
    const inQ = { scale: f32(1 / 32), zp: 0 };
    const x = dequantize(quantize(g.input(input, 'float32', spec.shape), inQ), inQ);
    const wScales = Array.from({ length: c }, () => f32(int(rng, 2, 9) / 1024));
    const weights = g.constant('int8', [c, c, 1, 1], Array.from({ length: c * c }, () => int(rng, -127, 127)));
    const w = g.node('DequantizeLinear', [weights, g.constant('float32', [c], wScales), g.constant('int8', [c], new Array(c).fill(0))], { axis: 0 })[0]!;
    const bias = g.constant('int32', [c], Array.from({ length: c }, () => int(rng, -300, 300)));
    const b = g.node('DequantizeLinear', [bias, g.constant('float32', [c], wScales.map((s) => f32(inQ.scale * s))), g.constant('int32', [c], new Array(c).fill(0))], { axis: 0 })[0]!;
    const conv = g.node('Conv', [x, w, b], { kernel_shape: [1, 1], pads: [0, 0, 0, 0], strides: [1, 1] })[0]!;
    xdq = dequantize(quantize(conv, spec.x), spec.x);
  } else {
    xdq = dequantize(quantize(g.input(input, 'float32', spec.shape), spec.x), spec.x);
    if (spec.source === 'shared-dq') outputs.push({ name: g.node('Flatten', [xdq], { axis: 1 })[0]!, type: 'float32' });
  }

  const attrs = { ...spec.attrs };
  let y: string;
  if (spec.center === 'ReduceMean' && spec.opset >= 18) {
    const axes = attrs.axes as number[];
    delete attrs.axes;
    y = g.node('ReduceMean', [xdq, g.constant('int64', [axes.length], axes)], attrs)[0]!;
  } else {
    y = g.node(spec.center, [xdq], attrs)[0]!;
  }
  if (spec.activation === 'relu') y = g.node('Relu', [y])[0]!;
  if (spec.activation === 'clip') y = g.node('Clip', [y, g.scalar(spec.clip[0]), g.scalar(spec.clip[1])])[0]!;
  const yq = quantize(y, spec.y);
  if (spec.sink === 'int8-output') {
    outputs.unshift({ name: yq, type: 'int8' });
  } else {
    const ydq = dequantize(yq, spec.y);
    outputs.unshift({ name: ydq, type: 'float32' });
    if (spec.sink === 'shared-dq') outputs.push({ name: g.node('Flatten', [ydq], { axis: 1 })[0]!, type: 'float32' });
    if (spec.sink === 'two-dqs') outputs.push({ name: dequantize(yq, spec.y), type: 'float32' });
  }
  return outputs.map((o, j) => ({ name: g.rename(o.name, `y${index}_${j}`), type: o.type }));
}

/** Builds a model holding the given patterns side by side (one input each) and returns its path. */
export function buildPaths(specs: readonly PathSpec[], rng: Rng): string {
  const g = new GraphBuilder();
  specs.forEach((spec, i) => addPattern(g, spec, rng, i).forEach((o) => g.output(o.name, o.type, [])));
  const model = onnxProto.onnx.ModelProto.decode(g.encode());
  model.opsetImport = [{ domain: '', version: Math.max(...specs.map((s) => s.opset)) }];
  for (const o of model.graph!.output ?? []) o.type!.tensorType!.shape = null;
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-ortpath-')), 'model.onnx');
  writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
  return path;
}

/** One pattern's model. */
export const buildPath = (spec: PathSpec, rng: Rng): string => buildPaths([spec], rng);

/**
 * How ONNX Runtime optimized the model's averaging node, read from the model it writes after
 * optimization: 'qlinear-uint8' or 'qlinear-int8' (its com.microsoft QLinear kernel in that type),
 * or 'float' (the float op, NCHWc or not).
 */
export function ortOptimizedPath(path: string, center: Center): Promise<OrtKernel> {
  // Y's zero point is input 4 of QLinearAveragePool and QLinearGlobalAveragePool.
  return ortKernel(path, center, 4);
}
