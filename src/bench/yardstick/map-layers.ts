/**
 * Maps each layer of a lowered graph (tflite rounding) to the CMSIS-NN wrapper a TFLite runtime
 * would call for it, on the same shapes, weights and quantization: the Q31 multipliers and shifts
 * tinygen computed in prepare, the zero points as offsets, the fused activation's range. A layer
 * CMSIS-NN cannot run as tinygen defines it (a view, a transpose, a lookup table, asymmetric
 * weights, a requantizing pool, broadcasting) gets the reason instead and stays out of the totals.
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

/** CMSIS-NN's dims struct: [N, H, W, C]. */
export interface Dims {
  n: number;
  h: number;
  w: number;
  c: number;
}

/** What a layer's CMSIS-NN call is, for the per-kind ratios. */
export type LayerKind = 'conv' | 'conv 1x1' | 'depthwise conv' | 'fully connected' | 'add' | 'average pool' | 'max pool' | 'softmax';

export type CmsisKernel =
  | 'arm_convolve_wrapper_s8'
  | 'arm_depthwise_conv_wrapper_s8'
  | 'arm_fully_connected_s8'
  | 'arm_fully_connected_per_channel_s8'
  | 'arm_elementwise_add_s8'
  | 'arm_avgpool_s8'
  | 'arm_max_pool_s8'
  | 'arm_softmax_s8';

export interface ConvCall {
  kernel: 'arm_convolve_wrapper_s8' | 'arm_depthwise_conv_wrapper_s8';
  input: Dims;
  filter: Dims;
  output: Dims;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  inputOffset: number;
  outputOffset: number;
  chMult: number;
  actMin: number;
  actMax: number;
  multipliers: number[];
  shifts: number[];
  /** [C_OUT][H][W][C_IN / group], or [1][H][W][C_OUT] for depthwise: tinygen's IR layouts are CMSIS-NN's. */
  weights: Int8Array;
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

export type CmsisCall = ConvCall | FullyConnectedCall | AddCall | PoolCall | SoftmaxCall;

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

const MAPPERS: Record<string, (node: Node, graph: Graph) => Omit<MappedLayer, 'index' | 'node' | 'op'>> = {
  QLinearConv: mapConv,
  QGemm: mapGemm,
  QLinearMatMul: mapMatMul,
  QLinearAdd: mapAdd,
  QLinearAveragePool: mapAveragePool,
  MaxPool: mapMaxPool,
  TFLiteSoftmax: mapSoftmax,
  QLinearSoftmax: mapSoftmax,
};

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
      plan.unmapped.push({ ...base, reason: `CMSIS-NN has no wrapper for ${node.op}` });
      return;
    }
    if (node.outputs.some((o) => tensorOf(graph, o).dtype !== 'int8') || tensorOf(graph, node.inputs[0]!).dtype !== 'int8') {
      plan.unmapped.push({ ...base, reason: 'not int8 in and out' });
      return;
    }
    try {
      plan.mapped.push({ ...base, ...mapper(node, graph) });
    } catch (error) {
      if (!(error instanceof NoYardstick)) throw error;
      plan.unmapped.push({ ...base, reason: `${node.op} with ${error.message}` });
    }
  });
  return plan;
}
