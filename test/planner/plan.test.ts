/**
 * The memory planner on random graphs (chains with residual branches and concatenations): no two
 * buffers alive at the same step overlap in the arena, and the arena is never below the lower
 * bound (the most bytes live at once), which would mean the bound or the planner is wrong.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { compileModel } from '../../src/pipeline.ts';
import { seededRandom } from '../../src/validate/records.ts';

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

function randomGraph(rng: Rng): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  let channels = int(rng, 1, 4);
  const size = int(rng, 6, 12);
  let x = g.input('x', 'int8', [1, channels, size, size]);
  const conv = (input: string, cin: number, cout: number) => {
    const w = g.constant('int8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, () => int(rng, -50, 50)));
    return g.node('QLinearConv', [input, s(0.05), z(0), w, s(0.01), z(0), s(0.05), z(0)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })[0]!;
  };
  for (let layer = 0, layers = int(rng, 2, 7); layer < layers; layer++) {
    const choice = rng();
    const out = int(rng, 1, 6);
    if (choice < 0.4) {
      x = conv(x, channels, out);
      channels = out;
    } else if (choice < 0.7) {
      // Residual block: two convs on a branch, added back to the block's input.
      const branch = conv(conv(x, channels, out), out, channels);
      x = g.node('QLinearAdd', [x, s(0.05), z(0), branch, s(0.05), z(0), s(0.05), z(0)], {}, { domain: 'com.microsoft' })[0]!;
    } else {
      // Two parallel convs concatenated on channels.
      const a = conv(x, channels, out);
      const b = conv(x, channels, 2);
      x = g.node('QLinearConcat', [s(0.05), z(0), a, s(0.05), z(0), b, s(0.05), z(0)], { axis: 1 }, { domain: 'com.microsoft' })[0]!;
      channels = out + 2;
    }
  }
  g.output(g.rename(x, 'y'), 'int8', []);
  return g.save();
}

describe('memory planner', () => {
  it('never overlaps live buffers and never beats the lower bound, on 60 random graphs', () => {
    const rng = seededRandom(4242);
    let atBound = 0;
    for (let trial = 0; trial < 60; trial++) {
      const { plan, graph } = compileModel({ modelPath: randomGraph(rng) });
      for (const [i, a] of plan.buffers.entries()) {
        for (const b of plan.buffers.slice(i + 1)) {
          const liveTogether = a.first <= b.last && b.first <= a.last;
          const overlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
          expect(liveTogether && overlap, `trial ${trial}: ${a.tensors} and ${b.tensors}`).toBe(false);
        }
        expect(a.offset + a.bytes).toBeLessThanOrEqual(plan.arenaBytes);
      }
      // Every activation that lives in the arena belongs to exactly one buffer.
      const inArena = [...plan.storage].filter(([, where]) => where.kind === 'arena').map(([name]) => name);
      expect(plan.buffers.flatMap((b) => b.tensors).sort()).toEqual(inArena.sort());
      expect(inArena.every((name) => graph.tensors.has(name))).toBe(true);
      expect(plan.arenaBytes).toBeGreaterThanOrEqual(plan.lowerBoundBytes);
      if (plan.arenaBytes === plan.lowerBoundBytes) atBound++;
    }
    // The lower bound is reached on most of these graphs already (measured: printed for the record).
    console.log(`planner: arena equals the lower bound on ${atBound} of 60 random graphs`);
  });
});
