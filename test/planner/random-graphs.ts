/**
 * Random QOperator graphs for the planner tests: chains of convolutions with residual blocks,
 * parallel branches of unequal depth joined by a concatenation, elementwise lookups
 * (com.microsoft QLinearSigmoid / QLinearLeakyRelu), a swish-like gate and a squeeze-excite
 * style multiply, so views, in-place ops and scheduling choices all occur. Every activation is
 * quantized alike (scale 0.05, zero point 0), as a tensor read by several nodes must be.
 */
import { GraphBuilder } from '../helpers/onnx-builder.ts';

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
