/**
 * Random QOperator graphs for the planner tests: chains of convolutions with residual blocks,
 * parallel branches of unequal depth joined by a concatenation, elementwise lookups
 * (com.microsoft QLinearSigmoid / QLinearLeakyRelu), a swish-like gate and a squeeze-excite
 * style multiply, so views, in-place ops and scheduling choices all occur. Every activation is
 * quantized alike (scale 0.05, zero point 0), as a tensor read by several nodes must be.
 */
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { seededRandom } from '../../src/util/random.ts';
import { tensorBytes, tensorOf } from '../../src/ir/graph.ts';

export type Rng = () => number;
export const randomInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

export interface RandomGraph {
  path: string;
  /** True when the graph has a residual block or parallel branches. */
  branchy: boolean;
}

/** One random graph; `elementwise` adds lookups and multiplies (the original generator had none). */
export function randomGraph(rng: Rng, elementwise = true): RandomGraph {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const ms = { domain: 'com.microsoft' };
  let channels = randomInt(rng, 1, 4);
  const size = randomInt(rng, 6, 12);
  let x = g.input('x', 'int8', [1, channels, size, size]);
  let branchy = false;
  let fromLookup = false;
  const conv = (input: string, cin: number, cout: number) => {
    const w = g.constant('int8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, () => randomInt(rng, -50, 50)));
    return g.node('QLinearConv', [input, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  };
  const lookup = (input: string) =>
    rng() < 0.5
      ? g.node('QLinearSigmoid', [input, s(0.05), z(0), s(0.05), z(0)], {}, ms)[0]!
      : g.node('QLinearLeakyRelu', [input, s(0.05), z(0), s(0.05), z(0)], { alpha: { float: 0.1 } }, ms)[0]!;
  for (let layer = 0, layers = randomInt(rng, 2, 7); layer < layers; layer++) {
    const choice = rng();
    const out = randomInt(rng, 1, 6);
    const wasLookup = fromLookup;
    fromLookup = false;
    if (choice < (elementwise ? 0.3 : 0.4)) {
      x = conv(x, channels, out);
      channels = out;
    } else if (choice < (elementwise ? 0.5 : 0.7)) {
      // Residual block: two convs on a branch, added back to the block's input.
      const branch = conv(conv(x, channels, out), out, channels);
      x = g.node('QLinearAdd', [x, s(0.05), z(0), branch, s(0.05), z(0), s(0.05), z(0)], {}, ms)[0]!;
      branchy = true;
    } else if (choice < (elementwise ? 0.7 : 1)) {
      // Two parallel branches concatenated on channels. In the elementwise variant the small
      // branch is written first and the other may be two convs with a wide middle, so the given
      // order is not always the best one.
      let a: string, b: string;
      if (elementwise) {
        b = conv(x, channels, 2);
        const middle = rng() < 0.5 ? randomInt(rng, 4, 8) : 0;
        a = middle ? conv(conv(x, channels, middle), middle, out) : conv(x, channels, out);
      } else {
        a = conv(x, channels, out);
        b = conv(x, channels, 2);
      }
      x = g.node('QLinearConcat', [s(0.05), z(0), a, s(0.05), z(0), b, s(0.05), z(0)], { axis: 1 }, ms)[0]!;
      channels = out + 2;
      branchy = true;
    } else if (choice < 0.8) {
      x = lookup(x);
      fromLookup = true;
    } else if (choice < 0.9) {
      // Swish-like gate: the lookup's input is read again by the multiply, so it cannot run in place.
      x = g.node('QLinearMul', [x, s(0.05), z(0), lookup(x), s(0.05), z(0), s(0.05), z(0)], {}, ms)[0]!;
      branchy = true;
    } else {
      // Squeeze-excite: the input scaled per channel by a lookup of its average (a broadcast
      // multiply). A conv after a lookup keeps these graphs as they were measured (pooling a
      // lookup's output works since the importer types it; test/ops/unary-then-pool.test.ts).
      if (wasLookup) x = conv(x, channels, channels);
      const pooled = g.node('QLinearGlobalAveragePool', [x, s(0.05), z(0), s(0.05), z(0)], { channels_last: 0 }, ms)[0]!;
      const gate = lookup(pooled);
      x = g.node('QLinearMul', [gate, s(0.05), z(0), x, s(0.05), z(0), s(0.05), z(0)], {}, ms)[0]!;
      branchy = true;
    }
  }
  g.output(g.rename(x, 'y'), 'int8', []);
  return { path: g.save(), branchy };
}

/**
 * A MobileNet-like chain: 3x3 convs (some with stride 2), depthwise 3x3 convs and pointwise convs
 * that widen or narrow, ending in a global average pool, so that a pointwise layer sits at the
 * arena's peak and may run in place over an input of another size.
 */
export function randomPointwiseChain(rng: Rng): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let channels = randomInt(rng, 1, 4);
  let size = randomInt(rng, 3, 12);
  let x = g.input('x', 'int8', [1, channels, size, size]);
  const weights = (n: number) => Array.from({ length: n }, () => randomInt(rng, -50, 50));
  const conv = (cout: number, k: number, stride: number, group = 1) => {
    const w = g.constant('int8', [cout, channels / group, k, k], weights((cout * channels * k * k) / group));
    const pad = k === 3 ? 1 : 0;
    x = g.node('QLinearConv', [x, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [k, k], pads: [pad, pad, pad, pad], strides: [stride, stride], group })[0]!;
    channels = cout;
    size = Math.floor((size + 2 * pad - k) / stride) + 1;
  };
  conv(randomInt(rng, 2, 6), 3, rng() < 0.5 ? 2 : 1);
  for (let layer = 0, layers = randomInt(rng, 2, 6); layer < layers; layer++) {
    const choice = rng();
    if (choice < 0.3) conv(channels, 3, size > 4 && rng() < 0.4 ? 2 : 1, channels);
    else if (choice < 0.85) conv(rng() < 0.6 ? Math.min(channels * 2, 24) : Math.max(1, Math.floor(channels / 2)), 1, 1);
    else conv(randomInt(rng, 1, 8), 3, 1);
  }
  x = g.node('QLinearGlobalAveragePool', [x, s(0.05), z(0), s(0.05), z(0)], { channels_last: 0 }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(x, 'y'), 'int8', []);
  return g.save();
}

/** What runs in place in a chain: pointwise layers that widen or narrow, depthwise layers by stride, dense layers. */
export interface InPlaceChain {
  path: string;
  widens: boolean;
  narrows: boolean;
  depthwiseStride1: boolean;
  depthwiseStride2: boolean;
  dense: boolean;
}

/**
 * Random pointwise chains in which at least one convolution runs in place with --optimize ram (a
 * pointwise layer over an input of another size, a depthwise or a dense layer), the first `count` found; with `covering`, only
 * chains that add a kind not yet covered, until every kind is.
 */
export function chainsWithResizedInPlace(count: number, seed: number, covering = false): InPlaceChain[] {
  const rng = seededRandom(seed);
  const found: InPlaceChain[] = [];
  const kinds = ['widens', 'narrows', 'depthwiseStride1', 'depthwiseStride2', 'dense'] as const;
  for (let trial = 0; trial < 400 && found.length < count; trial++) {
    const path = randomPointwiseChain(rng);
    const { graph, plan } = compileModel({ modelPath: path, optimize: 'ram' });
    const inPlace = graph.nodes.filter((n, step) => plan.inPlaceSteps.has(step) && n.op === 'QLinearConv');
    if (inPlace.length === 0) continue;
    const bytes = (t: string) => tensorBytes(tensorOf(graph, t));
    const depthwise = inPlace.filter((n) => (n.attrs.group as number) > 1);
    const isPointwise = (n: (typeof inPlace)[number]) => (n.attrs.group as number) === 1 && (n.attrs.kernel_shape as number[]).every((k) => k === 1);
    const pointwise = inPlace.filter(isPointwise);
    const chain = {
      path,
      widens: pointwise.some((n) => bytes(n.outputs[0]!) > bytes(n.inputs[0]!)),
      narrows: pointwise.some((n) => bytes(n.outputs[0]!) < bytes(n.inputs[0]!)),
      depthwiseStride1: depthwise.some((n) => (n.attrs.strides as number[])[0] === 1),
      depthwiseStride2: depthwise.some((n) => (n.attrs.strides as number[])[0] === 2),
      dense: inPlace.some((n) => (n.attrs.group as number) === 1 && !isPointwise(n)),
    };
    if (covering && !kinds.some((k) => chain[k] && !found.some((f) => f[k]))) continue;
    found.push(chain);
  }
  return found;
}

/**
 * A pointwise layer that narrows at the arena's peak: x [1, 1, 9, 9] -> 3x3 conv to 8 channels
 * (648 B) -> 1x1 conv to 6 (486 B) -> global average pool. Apart, the pointwise step holds
 * 648 + 486 B; in place, 648 B (the output at the input's start).
 */
export function narrowingPointwise(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let seed = 3;
  const weights = (n: number) => Array.from({ length: n }, () => ((seed = (seed * 37 + 11) % 101) - 50));
  const x = g.input('x', 'int8', [1, 1, 9, 9]);
  // The 3x3 conv's weight zero point (1) makes it the general kernel's, which no chain of layers
  // run row by row takes (ConvChainRows), so the 1x1 conv stays a layer of its own.
  const c = g.node('QLinearConv', [x, s(0.05), z(0), g.constant('int8', [8, 1, 3, 3], weights(72)), s(0.01), z(1), s(0.05), z(3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  const p = g.node('QLinearConv', [c, s(0.05), z(3), g.constant('int8', [6, 8, 1, 1], weights(48)), s(0.02), z(0), s(0.04), z(-2)], { kernel_shape: [1, 1] })[0]!;
  const y = g.node('QLinearGlobalAveragePool', [p, s(0.04), z(-2), s(0.04), z(-2)], { channels_last: 0 }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(y, 'y'), 'int8', []);
  return g.save();
}

/**
 * A 1x1 convolution with padding, which runs the dense kernel (in place through its ring with
 * --optimize ram): x [1, 4, 8, 8] -> 3x3 conv to 8 channels -> 1x1 conv 8 -> 8 with pads 1
 * (10 x 10 out) -> global average pool.
 */
export function paddedPointwise(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let seed = 5;
  const weights = (n: number) => Array.from({ length: n }, () => ((seed = (seed * 41 + 7) % 97) - 48));
  const x = g.input('x', 'int8', [1, 4, 8, 8]);
  const c = g.node('QLinearConv', [x, s(0.05), z(1), g.constant('int8', [8, 4, 3, 3], weights(288)), s(0.01), z(0), s(0.05), z(-3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  const p = g.node('QLinearConv', [c, s(0.05), z(-3), g.constant('int8', [8, 8, 1, 1], weights(64)), s(0.02), z(0), s(0.04), z(2)], { kernel_shape: [1, 1], pads: [1, 1, 1, 1] })[0]!;
  const y = g.node('QLinearGlobalAveragePool', [p, s(0.04), z(2), s(0.04), z(2)], { channels_last: 0 }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(y, 'y'), 'int8', []);
  return g.save();
}
