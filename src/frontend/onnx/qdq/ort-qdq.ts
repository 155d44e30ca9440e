/**
 * What ONNX Runtime (1.30, CPU, x86-64, default graph optimizations) really runs for a QDQ
 * pattern DequantizeLinear(s) → op → [Relu | Clip] → QuantizeLinear that tinygen fuses into one
 * integer op. ORT's own fusion decides it, in three steps of its graph optimizer:
 *
 * 1. EnsureUniqueDQForNodeUnit gives every consumer of a DequantizeLinear its own copy (the original
 *    stays for a graph output), so a QuantizeLinear whose DQ feeds two nodes then feeds two DQs.
 * 2. QDQS8ToU8Transformer (x86 only: MLAS prefers uint8 activations there) rewrites each int8
 *    QuantizeLinear → DequantizeLinear pair as uint8 with zero point + 128, when the Q's output is
 *    no graph output and has exactly one consumer, that consumer is a DQ, and both zero points are
 *    constant int8 scalars of equal value. Values are unchanged; the type ORT computes in is not.
 *    A DQ with no Q before it (an int8 graph input, or an int8 constant operand such as an Add's
 *    bias) keeps the model's type: ORT 1.30 leaves such constants int8 (checked against its
 *    optimized model; the newer source's lone-DQ weight conversion does not apply).
 * 3. The QDQ selectors fuse the pattern into its com.microsoft QLinear kernel only when the type of
 *    every DQ's input and the Q's output are then one type, and a Relu or Clip in between is
 *    redundant given the Q's range. Otherwise ORT runs DQ → float op → Q. This holds for the unary
 *    selector (AveragePool, GlobalAveragePool, ...) and for the binary one (Add, Mul: both DQ
 *    inputs and the Q output of one type; CPU EP, any opset, any broadcast, no "int8 allowed"
 *    switch), see onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selectors.cc
 *    (UnaryNodeGroupSelector, BinaryNodeGroupSelector) and qdq_s8_to_u8.cc.
 *
 * So an int8 pattern whose input and output pairs are all one-to-one runs as a uint8 QLinear
 * kernel (whose float arithmetic adds the uint8 zero points), a pattern where some sides were
 * rewritten and others not (a residual Add whose skip DQ is shared, an int8 constant operand next
 * to a rewritten activation, an int8 graph output) runs in float, and one with none rewritten runs
 * as the int8 QLinear kernel.
 */
import type { ImportContext, OnnxNodeView, OnnxTopology } from '../import-context.ts';
import { roundHalfEven } from '../../../numerics/requantize.ts';

export interface OrtQdqPlan {
  /** ORT fuses the pattern into its QLinear kernel; false: it runs DequantizeLinear → float op → QuantizeLinear. */
  fused: boolean;
  /** The element type ORT's fused kernel computes in (uint8 after its int8 → uint8 rewrite). */
  computeType: 'int8' | 'uint8';
}

/** The model's neighbours of a node: producers and consumer edges by tensor name. */
class Neighbours {
  private readonly producer = new Map<string, OnnxNodeView>();
  private readonly consumers = new Map<string, OnnxNodeView[]>();

  constructor(readonly topology: OnnxTopology) {
    for (const node of topology.nodes) {
      node.outputs.forEach((o) => o !== '' && this.producer.set(o, node));
      for (const i of node.inputs) {
        if (i === '') continue;
        const list = this.consumers.get(i);
        if (list) list.push(node);
        else this.consumers.set(i, [node]);
      }
    }
  }

  producerOf(tensor: string): OnnxNodeView | undefined {
    return this.producer.get(tensor);
  }

  /** One entry per consuming input slot (a node reading a tensor twice counts twice, as ORT's edges do). */
  edges(tensor: string): OnnxNodeView[] {
    return this.consumers.get(tensor) ?? [];
  }

  isGraphOutput(tensor: string): boolean {
    return this.topology.graphOutputs.has(tensor);
  }
}

const cache = new WeakMap<OnnxTopology, Neighbours>();
const neighboursOf = (topology: OnnxTopology) => {
  let n = cache.get(topology);
  if (!n) cache.set(topology, (n = new Neighbours(topology)));
  return n;
};

const isOp = (node: OnnxNodeView | undefined, opType: string): node is OnnxNodeView =>
  node !== undefined && (node.domain === '' || node.domain === 'com.microsoft') && node.opType === opType;

/** The int8 value of a constant scalar zero point, or undefined when it is not one. */
function int8Scalar(ctx: ImportContext, name: string): number | undefined {
  const t = ctx.graph.tensors.get(name);
  if (!t?.data || t.dtype !== 'int8' || t.data.length !== 1) return undefined;
  return Number(t.data[0]);
}

/** Step 1: how many DQ nodes a DequantizeLinear becomes (one per consumer edge, plus itself for a graph output). */
function dqCopies(n: Neighbours, dq: OnnxNodeView): number {
  const out = dq.outputs[0] ?? '';
  const edges = n.edges(out).length;
  if (edges === 0) return 1;
  return edges + (n.isGraphOutput(out) ? 1 : 0);
}

/** Step 2: whether ORT rewrites the int8 pair q → dq as uint8. */
function pairBecomesUint8(n: Neighbours, ctx: ImportContext, q: OnnxNodeView, dq: OnnxNodeView): boolean {
  const qOut = q.outputs[0] ?? '';
  if (q.inputs.length !== 3 || dq.inputs.length !== 3) return false;
  const zq = int8Scalar(ctx, q.input(2));
  const zdq = int8Scalar(ctx, dq.input(2));
  if (zq === undefined || zdq === undefined || zq !== zdq) return false;
  if (n.isGraphOutput(qOut)) return false;
  const edges = n.edges(qOut);
  return edges.length === 1 && edges[0] === dq && dqCopies(n, dq) === 1;
}

/** The type of a quantized tensor as the model declares it (its zero point's type; none means uint8). */
function modelType(ctx: ImportContext, zeroPoint: string): 'int8' | 'uint8' {
  if (zeroPoint === '') return 'uint8';
  return ctx.graph.tensors.get(zeroPoint)?.dtype === 'int8' ? 'int8' : 'uint8';
}

/** ORT's rint-then-int32 conversion on x86: out-of-range (and infinite) values become INT32_MIN. */
function x86RoundToInt32(v: number): number {
  const r = Number.isFinite(v) ? roundHalfEven(v) : NaN;
  return Number.isNaN(r) || r < -2147483648 || r > 2147483647 ? -2147483648 : r;
}

/**
 * Step 3's test for a Relu or Clip between the op and the Q: ORT drops it when the Q's range already
 * implies it. Judged in the model's type (the uint8 rewrite moves the zero point and range alike).
 */
function activationIsRedundant(ctx: ImportContext, activation: OnnxNodeView, q: OnnxNodeView, type: 'int8' | 'uint8'): boolean {
  const zpName = q.input(2);
  const zp = zpName === '' ? 0 : Number(ctx.graph.tensors.get(zpName)?.data?.[0] ?? NaN);
  const scale = Number(ctx.graph.tensors.get(q.input(1))?.data?.[0] ?? NaN);
  if (!Number.isFinite(zp) || !Number.isFinite(scale)) return false;
  const [qmin, qmax] = type === 'int8' ? [-128, 127] : [0, 255];
  if (activation.opType === 'Relu') return zp === qmin;
  if (activation.opType !== 'Clip') return false;
  const bound = (index: number, attr: string, fallback: number): number | undefined => {
    const name = activation.input(index);
    if (name !== '') {
      const t = ctx.graph.tensors.get(name);
      return t?.data ? Number(t.data[0]) : undefined;
    }
    return activation.float(attr, fallback);
  };
  const lo = bound(1, 'min', -3.4028234663852886e38);
  const hi = bound(2, 'max', 3.4028234663852886e38);
  if (lo === undefined || hi === undefined) return false;
  const f32 = Math.fround;
  return x86RoundToInt32(f32(lo / scale)) + zp <= qmin && x86RoundToInt32(f32(hi / scale)) + zp >= qmax;
}

/** The type of a DQ's quantized input as the model declares it (the tensor's own type, else its zero point's). */
function dqInputType(ctx: ImportContext, dq: OnnxNodeView): 'int8' | 'uint8' {
  const dtype = ctx.graph.tensors.get(dq.input(0))?.dtype;
  if (dtype === 'int8' || dtype === 'uint8') return dtype;
  return modelType(ctx, dq.input(2));
}

/**
 * ORT's plan for the fused QDQ pattern centred on `center` (the view the QDQ fusion hands to an
 * importer): every input that comes through a DequantizeLinear counts (one for a unary op, two
 * for Add and Mul). Without the model's topology (a context built by hand) it assumes the fused
 * kernel in the model's own types, which is also what ORT does on Arm.
 */
export function ortQdqPlan(center: OnnxNodeView, ctx: ImportContext): OrtQdqPlan {
  const original = center.original;
  const topology = ctx.topology;
  const fallback = (): OrtQdqPlan => ({ fused: true, computeType: 'int8' });
  if (!topology) return fallback();
  const n = neighboursOf(topology);
  const dqs = original.inputs.filter((i) => i !== '').map((i) => n.producerOf(i));
  if (dqs.length === 0 || !dqs.every((dq) => isOp(dq, 'DequantizeLinear'))) return fallback();
  let next = n.edges(original.outputs[0] ?? '')[0];
  let activation: OnnxNodeView | undefined;
  if (next && next.domain === '' && (next.opType === 'Relu' || next.opType === 'Clip')) {
    activation = next;
    next = n.edges(next.outputs[0] ?? '')[0];
  }
  if (!isOp(next, 'QuantizeLinear')) return fallback();
  const q = next;

  const inTypes = (dqs as OnnxNodeView[]).map((dq) => {
    const before = n.producerOf(dq.inputs[0] ?? '');
    const type = dqInputType(ctx, dq);
    return type === 'int8' && isOp(before, 'QuantizeLinear') && pairBecomesUint8(n, ctx, before, dq) ? 'uint8' : type;
  });
  let outType = modelType(ctx, q.input(2));
  const after = n.edges(q.outputs[0] ?? '');
  if (outType === 'int8' && after.length === 1 && isOp(after[0], 'DequantizeLinear') && pairBecomesUint8(n, ctx, q, after[0])) outType = 'uint8';

  const activationOk = !activation || activationIsRedundant(ctx, activation, q, modelType(ctx, q.input(2)));
  return { fused: activationOk && inTypes.every((t) => t === outType), computeType: outType };
}

/** The plan for a unary pattern (its one DequantizeLinear input). */
export const ortUnaryQdqPlan = ortQdqPlan;
