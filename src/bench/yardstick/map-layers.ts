/**
 * Maps each layer of a lowered graph (tflite rounding) to the CMSIS-NN wrapper a TFLite runtime
 * would call for it, on the same shapes, weights and quantization: the Q31 multipliers and shifts
 * tinygen computed in prepare, the zero points as offsets, the fused activation's range. A layer
 * CMSIS-NN cannot run as tinygen defines it (a view, a transpose, a lookup table, asymmetric
 * weights, a requantizing pool, broadcasting) gets the reason instead and stays out of the totals.
 *
 * 16x8 layers (Conv16x8: int16 activations, int8 weights, int64 bias) map to CMSIS-NN's s16
 * kernels, which compute TFLM's int64 path: the Q31 multiplier cut to 15 bits (REDUCE_MULTIPLIER,
 * as TFLM's int64 MultiplyByQuantizedMultiplier), one rounding, no zero points.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, isConstant, tensorOf } from '../../ir/graph.ts';
import type { QuantizedMultiplier, Requant } from '../../numerics/requantize.ts';
import { qlinearConv } from '../../ops/qlinear-conv/index.ts';
import { qgemm } from '../../ops/qgemm/index.ts';
import { qlinearMatMul } from '../../ops/qlinear-matmul/index.ts';
import { qlinearAdd } from '../../ops/qlinear-add/index.ts';
import { qlinearAveragePool } from '../../ops/qlinear-average-pool/index.ts';
import { maxPool } from '../../ops/max-pool/index.ts';
import { tfliteSoftmax } from '../../ops/tflite-softmax/index.ts';
import { qlinearSoftmax } from '../../ops/qlinear-softmax/index.ts';
import type { SoftmaxTfliteParams } from '../../ops/qlinear-softmax/definition.ts';
import { conv16x8 } from '../../ops/conv-16x8/index.ts';

/** CMSIS-NN's dims struct: [N, H, W, C]. */
export interface Dims {
  n: number;
  h: number;
  w: number;
  c: number;
}

/** What a layer's CMSIS-NN call is, for the per-kind ratios. */
export type LayerKind =
  | 'conv'
  | 'conv 1x1'
  | 'depthwise conv'
  | 'fully connected'
  | 'add'
  | 'average pool'
  | 'max pool'
  | 'softmax'
  | 'conv 16x8'
  | 'depthwise conv 16x8'
  | 'fully connected 16x8';

export type CmsisKernel =
  | 'arm_convolve_wrapper_s8'
  | 'arm_depthwise_conv_wrapper_s8'
  | 'arm_fully_connected_s8'
  | 'arm_fully_connected_per_channel_s8'
  | 'arm_elementwise_add_s8'
  | 'arm_avgpool_s8'
  | 'arm_max_pool_s8'
  | 'arm_softmax_s8'
  | 'arm_convolve_wrapper_s16'
  | 'arm_depthwise_conv_wrapper_s16'
  | 'arm_fully_connected_s16';

/** What every convolution call takes, int8 or 16x8. */
interface ConvLayerCall {
  input: Dims;
  filter: Dims;
  output: Dims;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  chMult: number;
  actMin: number;
  actMax: number;
  /** TFLite's Q31 multipliers and shifts (the s16 kernels reduce them to 15 bits themselves, as TFLM does). */
  multipliers: number[];
  shifts: number[];
  /** [C_OUT][H][W][C_IN / group], or [1][H][W][C_OUT] for depthwise: tinygen's IR layouts are CMSIS-NN's. */
  weights: Int8Array;
}

export interface ConvCall extends ConvLayerCall {
  kernel: 'arm_convolve_wrapper_s8' | 'arm_depthwise_conv_wrapper_s8';
  inputOffset: number;
  outputOffset: number;
  bias: Int32Array;
}

export interface FullyConnectedCall {
  kernel: 'arm_fully_connected_s8' | 'arm_fully_connected_per_channel_s8';
  batches: number;
  /** Accumulation depth. */
  k: number;
  /** Output depth. */
  n: number;
  inputOffset: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
  multipliers: number[];
  shifts: number[];
  /** [n][k]. */
  weights: Int8Array;
  bias: Int32Array;
}

export interface AddCall {
  kernel: 'arm_elementwise_add_s8';
  elements: number;
  input1: { offset: number; multiplier: QuantizedMultiplier };
  input2: { offset: number; multiplier: QuantizedMultiplier };
  leftShift: number;
  outputOffset: number;
  output: QuantizedMultiplier;
  actMin: number;
  actMax: number;
}

export interface PoolCall {
  kernel: 'arm_avgpool_s8' | 'arm_max_pool_s8';
  input: Dims;
  output: Dims;
  filter: [number, number];
  stride: [number, number];
  padding: [number, number];
  actMin: number;
  actMax: number;
}

export interface SoftmaxCall {
  kernel: 'arm_softmax_s8';
  rows: number;
  rowSize: number;
  multiplier: number;
  shift: number;
  diffMin: number;
}

/** A 16x8 convolution: no offsets (16x8 quantization has no zero points), an int64 bias or none. */
export interface Conv16Call extends ConvLayerCall {
  kernel: 'arm_convolve_wrapper_s16' | 'arm_depthwise_conv_wrapper_s16';
  /** null: no bias (the kernels then pass NULL, as TFLM does for an absent bias). */
  bias: BigInt64Array | null;
}

/** A 16x8 FULLY_CONNECTED: per-tensor weights, an int64 bias or none. */
export interface FullyConnected16Call {
  kernel: 'arm_fully_connected_s16';
  batches: number;
  k: number;
  n: number;
  actMin: number;
  actMax: number;
  multiplier: number;
  shift: number;
  /** [n][k]. */
  weights: Int8Array;
  bias: BigInt64Array | null;
}

export type CmsisCall = ConvCall | FullyConnectedCall | AddCall | PoolCall | SoftmaxCall | Conv16Call | FullyConnected16Call;

/** A layer CMSIS-NN runs: its activation inputs in call order (from the record) and its output. */
export interface MappedLayer {
  index: number;
  node: string;
  op: string;
  kind: LayerKind;
  call: CmsisCall;
  /** Tensor names of the activation inputs, in the order the call takes them. */
  inputs: string[];
  output: string;
}

export interface UnmappedLayer {
  index: number;
  node: string;
  op: string;
  reason: string;
}

export interface YardstickPlan {
  mapped: MappedLayer[];
  unmapped: UnmappedLayer[];
}

/** Why a layer has no yardstick: thrown inside a mapper, caught per layer. */
class NoYardstick extends Error {}

function refuse(reason: string): never {
  throw new NoYardstick(reason);
}

function tflite(requant: Requant): QuantizedMultiplier[] {
  if (requant.mode !== 'tflite') refuse('onnx rounding (CMSIS-NN computes in tflite rounding)');
  return requant.multipliers;
}

/** Per-channel arrays of a per-tensor or per-channel requantization, over `channels`. */
function perChannel(ms: readonly QuantizedMultiplier[], channels: number): { multipliers: number[]; shifts: number[] } {
  const at = (c: number) => ms[ms.length === 1 ? 0 : c]!;
  return { multipliers: Array.from({ length: channels }, (_, c) => at(c).multiplier), shifts: Array.from({ length: channels }, (_, c) => at(c).shift) };
}

function constantData<T>(graph: Graph, name: string | undefined): T | undefined {
  return name ? (tensorOf(graph, name).data as T | undefined) : undefined;
}

/** The activation (non-constant) inputs among `names`; a constant operand has no yardstick here. */
function activations(graph: Graph, names: string[]): string[] {
  if (names.some((n) => n === '' || isConstant(graph, n))) refuse('a constant operand');
  return names;
}

function mapConv(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = qlinearConv.paramsOf(node);
  const ms = tflite(p.requant);
  if (p.weightZeroPoints.some((z) => z !== 0)) refuse('weights with a zero point (CMSIS-NN takes symmetric weights)');
  const g = p.geometry;
  const w = tensorOf(graph, node.inputs[1]!);
  const bias = constantData<Int32Array>(graph, node.inputs[2]) ?? new Int32Array(g.outC);
  const input: Dims = { n: g.batch, h: g.inH, w: g.inW, c: g.inC };
  const output: Dims = { n: g.batch, h: g.outH, w: g.outW, c: g.outC };
  const common = {
    input,
    output,
    stride: [g.strideH, g.strideW] as [number, number],
    padding: [g.padTop, g.padLeft] as [number, number],
    dilation: [g.dilH, g.dilW] as [number, number],
    inputOffset: -p.inZeroPoint,
    outputOffset: p.requant.zeroPoint,
    actMin: p.requant.min,
    actMax: p.requant.max,
    ...perChannel(ms, g.outC),
    weights: w.data as Int8Array,
    bias,
  };
  if (p.depthwiseWeights) {
    // CMSIS-NN's depthwise kernels take one image.
    if (g.batch !== 1) refuse('a depthwise convolution over a batch of more than one');
    return {
      kind: 'depthwise conv',
      call: { kernel: 'arm_depthwise_conv_wrapper_s8', ...common, filter: { n: 1, h: g.kH, w: g.kW, c: g.outC }, chMult: g.outC / g.inC },
      inputs: activations(graph, [node.inputs[0]!]),
      output: node.outputs[0]!,
    };
  }
  const kind: LayerKind = g.kH === 1 && g.kW === 1 ? 'conv 1x1' : 'conv';
  return {
    kind,
    call: { kernel: 'arm_convolve_wrapper_s8', ...common, filter: { n: g.outC, h: g.kH, w: g.kW, c: g.inC / p.groups }, chMult: 1 },
    inputs: activations(graph, [node.inputs[0]!]),
    output: node.outputs[0]!,
  };
}

function fullyConnected(o: { batches: number; k: number; n: number; aZeroPoint: number; bZeroPoints: number[]; requant: Requant; weights: Int8Array; bias: Int32Array }): FullyConnectedCall {
  const ms = tflite(o.requant);
  if (o.bZeroPoints.some((z) => z !== 0)) refuse('weights with a zero point (CMSIS-NN takes symmetric weights)');
  return {
    kernel: ms.length === 1 ? 'arm_fully_connected_s8' : 'arm_fully_connected_per_channel_s8',
    batches: o.batches,
    k: o.k,
    n: o.n,
    inputOffset: -o.aZeroPoint,
    outputOffset: o.requant.zeroPoint,
    actMin: o.requant.min,
    actMax: o.requant.max,
    ...(ms.length === 1 ? { multipliers: [ms[0]!.multiplier], shifts: [ms[0]!.shift] } : perChannel(ms, o.n)),
    weights: o.weights,
    bias: o.bias,
  };
}

function mapGemm(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = qgemm.paramsOf(node);
  if (p.output.kind !== 'quantized') refuse('a float output');
  const g = p.gemm;
  if (g.batch !== 1 || g.aColStride !== 1 || g.aRowStride !== g.k) refuse('a transposed A (CMSIS-NN reads input rows in place)');
  if (g.bias && !(g.biasRowStride === 0 && g.biasColStride === 1)) refuse('a bias that is not one value per column');
  const call = fullyConnected({ batches: g.m, k: g.k, n: g.n, aZeroPoint: g.aZeroPoint, bZeroPoints: g.bZeroPoints, requant: p.output.requant, weights: g.b, bias: g.bias ?? new Int32Array(g.n) });
  return { kind: 'fully connected', call, inputs: activations(graph, [node.inputs[0]!]), output: node.outputs[0]! };
}

function mapMatMul(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = qlinearMatMul.paramsOf(node);
  if (!isConstant(graph, node.inputs[1]!)) refuse('a B that is not constant');
  if (p.batch !== 1 || p.bBatches !== 1) refuse('a batched matrix product');
  // B is [K, N]; CMSIS-NN's fully connected weights are [N][K].
  const b = tensorOf(graph, node.inputs[1]!).data as Int8Array;
  const weights = new Int8Array(p.k * p.n);
  for (let i = 0; i < p.k; i++) for (let col = 0; col < p.n; col++) weights[col * p.k + i] = b[i * p.n + col]!;
  const call = fullyConnected({ batches: p.m, k: p.k, n: p.n, aZeroPoint: p.aZeroPoint, bZeroPoints: p.bZeroPoints, requant: p.requant, weights, bias: new Int32Array(p.n) });
  return { kind: 'fully connected', call, inputs: activations(graph, [node.inputs[0]!]), output: node.outputs[0]! };
}

function mapAdd(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = qlinearAdd.paramsOf(node);
  if (!p.tflite) refuse('onnx rounding (CMSIS-NN computes in tflite rounding)');
  const [a, b] = node.inputs as [string, string];
  if (tensorOf(graph, a).dtype !== 'int8') refuse('int16 (the yardstick maps int8 adds only)');
  const out = tensorOf(graph, node.outputs[0]!).shape;
  if (elementCount(tensorOf(graph, a).shape) !== elementCount(out) || elementCount(tensorOf(graph, b).shape) !== elementCount(out)) {
    refuse('broadcasting (CMSIS-NN adds two vectors of one length)');
  }
  const t = p.tflite;
  // Kernel operands (x, y) are (A, B) or (B, A); CMSIS-NN's two inputs take them in that order.
  const [x, y] = p.swap ? [b, a] : [a, b];
  return {
    kind: 'add',
    call: {
      kernel: 'arm_elementwise_add_s8',
      elements: elementCount(out),
      input1: { offset: t.xOffset, multiplier: t.xMultiplier },
      input2: { offset: t.yOffset, multiplier: t.yMultiplier },
      leftShift: t.leftShift,
      outputOffset: t.zeroPoint,
      output: t.outMultiplier,
      actMin: p.actMin,
      actMax: p.actMax,
    },
    inputs: activations(graph, [x, y]),
    output: node.outputs[0]!,
  };
}

function mapAveragePool(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = qlinearAveragePool.paramsOf(node);
  if (p.mode !== 'tflite') refuse('onnx rounding (CMSIS-NN computes in tflite rounding)');
  if (tensorOf(graph, node.inputs[0]!).dtype !== 'int8') refuse('int16 (the yardstick maps int8 pools only)');
  if (!p.sameQuant) refuse('an output quantized differently from the input (CMSIS-NN pools without requantizing)');
  if (p.countIncludePad || p.clipCount) refuse('padding counted in the average (CMSIS-NN counts the taps inside the input)');
  const g = p.geometry;
  const nhwc = p.inStrides[3] === 1 && p.outStrides[3] === 1;
  if (!nhwc || g.batch !== 1) refuse('a pool that is not over one NHWC image');
  return { kind: 'average pool', call: pool('arm_avgpool_s8', g, -128, 127), inputs: activations(graph, [node.inputs[0]!]), output: node.outputs[0]! };
}

function pool(kernel: PoolCall['kernel'], g: ReturnType<typeof maxPool.paramsOf>, actMin: number, actMax: number): PoolCall {
  return {
    kernel,
    input: { n: 1, h: g.inH, w: g.inW, c: g.inC },
    output: { n: 1, h: g.outH, w: g.outW, c: g.outC },
    filter: [g.kH, g.kW],
    stride: [g.strideH, g.strideW],
    padding: [g.padTop, g.padLeft],
    actMin,
    actMax,
  };
}

function mapMaxPool(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const g = maxPool.paramsOf(node);
  if (g.batch !== 1) refuse('a batch of more than one');
  if (g.dilH !== 1 || g.dilW !== 1) refuse('dilations (CMSIS-NN pools have none)');
  if (tensorOf(graph, node.inputs[0]!).dtype !== 'int8') refuse('int16 or uint8 (the yardstick maps int8 pools only)');
  return { kind: 'max pool', call: pool('arm_max_pool_s8', g, -128, 127), inputs: activations(graph, [node.inputs[0]!]), output: node.outputs[0]! };
}

function softmax(p: SoftmaxTfliteParams): SoftmaxCall {
  // CMSIS-NN's int8 softmax is TFLM's: output in units of 1/256 from -128, rows along the last axis.
  if (p.geometry.inner !== 1 || p.outputMultiplier !== 0 || p.outputShift !== 23 || p.zeroPoint !== -128) {
    refuse("an output quantization other than TFLite's 1/256, -128, or an axis that is not the last");
  }
  return { kernel: 'arm_softmax_s8', rows: p.geometry.outer, rowSize: p.geometry.axis, multiplier: p.inputMultiplier, shift: p.inputLeftShift, diffMin: p.diffMin };
}

function mapSoftmax(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  let call: SoftmaxCall;
  if (node.op === 'TFLiteSoftmax') call = softmax(tfliteSoftmax.paramsOf(node));
  else {
    const p = qlinearSoftmax.paramsOf(node);
    if (p.mode !== 'tflite') refuse('onnx rounding (CMSIS-NN computes in tflite rounding)');
    call = softmax(p);
  }
  return { kind: 'softmax', call, inputs: activations(graph, [node.inputs[0]!]), output: node.outputs[0]! };
}

/**
 * Conv16x8 → arm_convolve_wrapper_s16, arm_depthwise_conv_wrapper_s16, or (a FULLY_CONNECTED,
 * which the importer makes a 1x1 Conv16x8 with attrs.scale_product 'float32': per-tensor weights)
 * arm_fully_connected_s16. Only the int64 path maps: an int32 bias is TFLM's other arithmetic.
 */
function mapConv16x8(node: Node, graph: Graph): Omit<MappedLayer, 'index' | 'node' | 'op'> {
  const p = conv16x8.paramsOf(node);
  if (p.accumulator !== 'int64') refuse("an int32 bias (TFLM's int32 path, which rounds twice; the yardstick maps the int64-bias path only)");
  const g = p.geometry;
  const w = tensorOf(graph, node.inputs[1]!);
  const biasData = constantData<BigInt64Array | Int32Array>(graph, node.inputs[2]);
  if (biasData && !(biasData instanceof BigInt64Array)) refuse('a bias that is not int64');
  const bias = (biasData as BigInt64Array | undefined) ?? null;
  const { multipliers, shifts } = perChannel(p.multipliers, g.outC);
  const clamp = { actMin: p.actMin, actMax: p.actMax };
  const inputs = activations(graph, [node.inputs[0]!]);
  const output = node.outputs[0]!;
  if (node.attrs.scale_product === 'float32') {
    // The importer's FULLY_CONNECTED: [1, rows, 1, K] pixels through a 1x1 window, weights [N][1][1][K].
    const fc = g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 && p.groups === 1;
    if (!fc) refuse('a per-tensor scale product on a layer that is not a 1x1 window');
    if (multipliers.some((m, c) => m !== multipliers[0] || shifts[c] !== shifts[0])) refuse('per-channel multipliers (arm_fully_connected_s16 takes one)');
    return {
      kind: 'fully connected 16x8',
      call: { kernel: 'arm_fully_connected_s16', batches: g.batch * g.inH * g.inW, k: g.inC, n: g.outC, ...clamp, multiplier: multipliers[0]!, shift: shifts[0]!, weights: w.data as Int8Array, bias },
      inputs,
      output,
    };
  }
  const common = {
    input: { n: g.batch, h: g.inH, w: g.inW, c: g.inC },
    output: { n: g.batch, h: g.outH, w: g.outW, c: g.outC },
    stride: [g.strideH, g.strideW] as [number, number],
    padding: [g.padTop, g.padLeft] as [number, number],
    dilation: [g.dilH, g.dilW] as [number, number],
    ...clamp,
    multipliers,
    shifts,
    weights: w.data as Int8Array,
    bias,
  };
  if (p.depthwiseWeights) {
    // The wrapper's input is [H, W, C_IN]: one image.
    if (g.batch !== 1) refuse('a depthwise convolution over a batch of more than one');
    return { kind: 'depthwise conv 16x8', call: { kernel: 'arm_depthwise_conv_wrapper_s16', ...common, filter: { n: 1, h: g.kH, w: g.kW, c: g.outC }, chMult: g.outC / g.inC }, inputs, output };
  }
  if (p.groups !== 1) refuse("groups (CMSIS-NN's s16 convolution takes one group, or a depthwise layer)");
  return { kind: 'conv 16x8', call: { kernel: 'arm_convolve_wrapper_s16', ...common, filter: { n: g.outC, h: g.kH, w: g.kW, c: g.inC }, chMult: 1 }, inputs, output };
}

interface Mapper {
  map: (node: Node, graph: Graph) => Omit<MappedLayer, 'index' | 'node' | 'op'>;
  /** The activations' type, in and out, that the mapped CMSIS-NN function takes. */
  dtype: 'int8' | 'int16';
}

const int8 = (map: Mapper['map']): Mapper => ({ map, dtype: 'int8' });

const MAPPERS: Record<string, Mapper> = {
  QLinearConv: int8(mapConv),
  QGemm: int8(mapGemm),
  QLinearMatMul: int8(mapMatMul),
  QLinearAdd: int8(mapAdd),
  QLinearAveragePool: int8(mapAveragePool),
  MaxPool: int8(mapMaxPool),
  TFLiteSoftmax: int8(mapSoftmax),
  QLinearSoftmax: int8(mapSoftmax),
  Conv16x8: { map: mapConv16x8, dtype: 'int16' },
};

/** Ops CMSIS-NN has a function for that the yardstick does not map, with the reason. */
function unmappedReason(node: Node, graph: Graph): string {
  if (node.op === 'TFLiteTransposeConv') {
    return tensorOf(graph, node.outputs[0]!).dtype === 'int16'
      ? 'CMSIS-NN has no s16 transpose convolution (arm_transpose_conv_wrapper_s8 is int8 only)'
      : 'the yardstick does not map TRANSPOSE_CONV (arm_transpose_conv_wrapper_s8) yet';
  }
  return `CMSIS-NN has no wrapper for ${node.op}`;
}

/**
 * Every layer of the graph, mapped or with the reason it has no yardstick. `runs[i]` says whether
 * tinygen emits code for node i (a view runs none).
 */
export function planYardstick(graph: Graph, runs: readonly boolean[]): YardstickPlan {
  const plan: YardstickPlan = { mapped: [], unmapped: [] };
  graph.nodes.forEach((node, index) => {
    const base = { index, node: node.name, op: node.op };
    if (!runs[index]) {
      plan.unmapped.push({ ...base, reason: 'view: no code runs' });
      return;
    }
    const mapper = MAPPERS[node.op];
    if (!mapper) {
      plan.unmapped.push({ ...base, reason: unmappedReason(node, graph) });
      return;
    }
    if (node.outputs.some((o) => tensorOf(graph, o).dtype !== mapper.dtype) || tensorOf(graph, node.inputs[0]!).dtype !== mapper.dtype) {
      plan.unmapped.push({ ...base, reason: `not ${mapper.dtype} in and out` });
      return;
    }
    try {
      plan.mapped.push({ ...base, ...mapper.map(node, graph) });
    } catch (error) {
      if (!(error instanceof NoYardstick)) throw error;
      plan.unmapped.push({ ...base, reason: `${node.op} with ${error.message}` });
    }
  });
  return plan;
}
