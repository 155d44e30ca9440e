/**
 * Independent checks of a memory plan, written without the planner's own groups or intervals:
 * a byte-level simulation of the schedule, per-step live bytes from tensor lifetimes, and where
 * an op must run in place.
 */
import { expect } from 'vitest';
import type { Graph, Node } from '../../src/ir/graph.ts';
import { isConstant, tensorBytes, tensorOf } from '../../src/ir/graph.ts';
import { ARENA_ALIGNMENT, type MemoryPlan, type Storage } from '../../src/passes/plan-memory.ts';
import type { IoPlacement } from '../../src/ops/op.ts';
import { convPatchBytes, convVariant, inPlaceRingRows } from '../../src/ops/qlinear-conv/definition.ts';

const alignUp = (n: number) => Math.ceil(n / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;
const activations = (graph: Graph, names: string[]) => names.filter((n) => n !== '' && !isConstant(graph, n));
const space = (s: Storage) => (s.kind === 'arena' ? 'arena' : `${s.kind}${s.index}`);
const start = (s: Storage) => (s.kind === 'arena' ? s.offset : 0);

/**
 * Runs the schedule over owner-tagged bytes (the arena and each API buffer apart): a node's
 * inputs must still hold their own values when it runs, a view that emits nothing must sit on
 * its input's bytes, an output may cover an input only when the node runs in place and then
 * exactly, nothing writes an input pointer, and the graph outputs hold their values at the end.
 * Returns the problems found.
 */
export function simulatePlan(graph: Graph, plan: MemoryPlan): string[] {
  const problems: string[] = [];
  const owners = new Map<string, Map<number, string>>();
  const value = new Map<string, string>();
  const where = (name: string) => {
    const s = plan.storage.get(name);
    if (!s) throw new Error(`no storage for ${name}`);
    return s;
  };
  const bytesOf = (name: string) => tensorBytes(tensorOf(graph, name));
  const write = (name: string) => {
    const s = where(name);
    const map = owners.get(space(s)) ?? new Map<number, string>();
    owners.set(space(s), map);
    for (let b = start(s); b < start(s) + bytesOf(name); b++) map.set(b, value.get(name)!);
  };
  const holds = (name: string) => {
    const s = where(name);
    const map = owners.get(space(s));
    for (let b = start(s); b < start(s) + bytesOf(name); b++) if (map?.get(b) !== value.get(name)) return false;
    return true;
  };
  for (const name of graph.inputs) {
    value.set(name, name);
    write(name);
  }
  graph.nodes.forEach((node, step) => {
    const inputs = activations(graph, node.inputs);
    for (const name of inputs) if (!holds(name)) problems.push(`step ${step} (${node.name}): input ${name} was overwritten`);
    if (plan.aliasedSteps.has(step)) {
      const [from, to] = [where(inputs[0]!), where(node.outputs[0]!)];
      if (space(from) !== space(to) || start(from) !== start(to)) problems.push(`step ${step}: view ${node.name} does not share its input's storage`);
      value.set(node.outputs[0]!, value.get(inputs[0]!)!);
      return;
    }
    // A kernel's scratch space is overwritten while the node runs: it must miss every input.
    const scratch = plan.buffers.find((b) => b.scratchStep === step);
    if (scratch) {
      const map = owners.get('arena') ?? new Map<number, string>();
      owners.set('arena', map);
      for (let b = scratch.offset; b < scratch.offset + scratch.bytes; b++) map.set(b, `scratch of ${node.name}`);
      for (const name of inputs) if (!holds(name)) problems.push(`step ${step}: the scratch space of ${node.name} overlaps its input ${name}`);
      // The kernel writes scratch and output interleaved, so they must be disjoint too.
      for (const out of node.outputs) {
        const s = where(out);
        if (s.kind === 'arena' && s.offset < scratch.offset + scratch.bytes && scratch.offset < s.offset + bytesOf(out)) {
          problems.push(`step ${step}: the scratch space of ${node.name} overlaps its output ${out}`);
        }
      }
      if (scratch.first !== step || scratch.last !== step) problems.push(`step ${step}: the scratch space of ${node.name} lives beyond its step`);
    }
    // A residual block run row by row, in place (ResidualRows): the first conv's rows 0 and 1 read
    // input rows 0 .. 2; then for each row r the add reads input row r and writes output row r
    // over it, and the first conv's row r + 2 reads input rows r + 1 .. r + 3.
    if (plan.inPlaceSteps.has(step) && node.op === 'ResidualRows') {
      const [x, z] = [inputs[0]!, node.outputs[0]!];
      const [r, w] = [where(x), where(z)];
      const map = owners.get(space(r))!;
      const [, rows, width, channels] = tensorOf(graph, x).shape as [number, number, number, number];
      const row = width * channels;
      const read = (from: number, to: number, when: string) => {
        for (let y = Math.max(0, from); y <= Math.min(rows - 1, to); y++) {
          for (let b = start(r) + y * row; b < start(r) + (y + 1) * row; b++) {
            if (map.get(b) !== value.get(x)) {
              problems.push(`step ${step}: ${node.name} reads row ${y} of ${x} ${when} after overwriting it`);
              return false;
            }
          }
        }
        return true;
      };
      if (start(r) !== start(w) || space(r) !== space(w)) problems.push(`step ${step}: ${node.name} in place but not over its input`);
      value.set(z, z);
      if (read(0, 2, 'for the first rows')) {
        for (let y = 0; y < rows; y++) {
          if (!read(y, y, `for the add of row ${y}`)) break;
          for (let b = start(w) + y * row; b < start(w) + (y + 1) * row; b++) map.set(b, z);
          if (!read(y + 1, y + 3, `for the first conv's row ${y + 2}`)) break;
        }
      }
      return;
    }
    // A chain of convolutions run row by row, in place (ConvChainRows): the last layer's rows are
    // made in order and each written as soon as it is made; a layer's row y needs rows y s - p ..
    // y s - p + k - 1 of the layer before (those inside its map), which that layer makes in order
    // when first needed, and the first layer's rows read the chain's input. Every read of an input
    // row must find its own bytes.
    if (plan.inPlaceSteps.has(step) && node.op === 'ConvChainRows') {
      const layers = JSON.parse(node.attrs.layers as string) as Node[];
      const [x, z] = [inputs[0]!, node.outputs[0]!];
      const [r, w] = [where(x), where(z)];
      const map = owners.get(space(r))!;
      const [, , inW, inC] = tensorOf(graph, x).shape as [number, number, number, number];
      const [, outH, outW, outC] = tensorOf(graph, z).shape as [number, number, number, number];
      const made = layers.map(() => 0);
      let failure: string | undefined;
      const make = (i: number, y: number): void => {
        const layer = layers[i]!;
        const [kH] = layer.attrs.kernel_shape as number[];
        const [strideH] = layer.attrs.strides as number[];
        const [dilH] = layer.attrs.dilations as number[];
        const [padTop] = layer.attrs.pads as number[];
        const inH = tensorOf(graph, layer.inputs[0]!).shape[1]!;
        for (; made[i]! <= y && !failure; made[i]!++) {
          const top = made[i]! * strideH! - padTop!;
          for (let k = 0; k < kH!; k++) {
            const q = top + k * dilH!;
            if (q < 0 || q >= inH) continue;
            if (i > 0) make(i - 1, q);
            else for (let b = start(r) + q * inW * inC; b < start(r) + (q + 1) * inW * inC; b++) if (map.get(b) !== value.get(x)) failure = `reads row ${q} of ${x} after overwriting it`;
          }
        }
      };
      value.set(z, z);
      for (let y = 0; y < outH && !failure; y++) {
        make(layers.length - 1, y);
        for (let b = start(w) + y * outW * outC; b < start(w) + (y + 1) * outW * outC; b++) map.set(b, z);
      }
      if (failure) problems.push(`step ${step}: in-place ${node.name} ${failure}`);
      if (space(r) !== space(w)) problems.push(`step ${step}: in-place ${node.name} writes outside its input's space`);
      return;
    }
    // A depthwise or dense layer in place (tg_conv_dw_in_place, tg_conv_dense_in_place): output
    // rows are computed in order into a ring in the scratch space (after the dense kernel's
    // patch), each from the input rows its windows cover, and copied out in order once every byte
    // under them lies below the first input row a later row reads; each read must find the
    // input's own bytes, and no more rows may wait than the ring holds.
    // Which in-place kernel runs is the emitter's choice by shape (a padded 1x1 conv is dense).
    const pointwise = node.op === 'QLinearConv' && convVariant(node, graph) === '1x1';
    if (plan.inPlaceSteps.has(step) && node.op === 'QLinearConv' && !pointwise) {
      const [input, out] = [inputs[0]!, node.outputs[0]!];
      const [r, w] = [where(input), where(out)];
      const map = owners.get(space(r))!;
      const [, inH, inW, inC] = tensorOf(graph, input).shape as [number, number, number, number];
      const [, outH, outW, outC] = tensorOf(graph, out).shape as [number, number, number, number];
      const [kH] = node.attrs.kernel_shape as number[];
      const [strideH] = node.attrs.strides as number[];
      const [dilH] = node.attrs.dilations as number[];
      const [padTop] = node.attrs.pads as number[];
      const [inRow, outRow] = [inW * inC, outW * outC];
      // The ring the emitted kernel is given; it must fit in the scratch after the dense kernel's
      // patch (two pixels' receptive fields).
      const ringRows = inPlaceRingRows(node, graph);
      if (convPatchBytes(node, graph) + ringRows * outRow > (scratch?.bytes ?? 0)) problems.push(`step ${step}: the ring of ${node.name} does not fit its scratch space`);
      const lead = start(r) - start(w);
      value.set(out, out);
      let next = 0;
      const flush = (until: (row: number) => boolean) => {
        for (; next < outH && until(next); next++) for (let b = start(w) + next * outRow; b < start(w) + (next + 1) * outRow; b++) map.set(b, out);
      };
      rows: for (let oy = 0; oy < outH; oy++) {
        for (let ky = 0; ky < kH!; ky++) {
          const row = oy * strideH! - padTop! + ky * dilH!;
          if (row < 0 || row >= inH) continue;
          for (let b = start(r) + row * inRow; b < start(r) + (row + 1) * inRow; b++) {
            if (map.get(b) !== value.get(input)) {
              problems.push(`step ${step}: in-place ${node.name} reads row ${row} of ${input} after overwriting it`);
              break rows;
            }
          }
        }
        if (oy - next + 1 > ringRows) problems.push(`step ${step}: in-place ${node.name} has ${oy - next + 1} rows waiting in a ring of ${ringRows}`);
        const dead = lead + ((oy + 1) * strideH! - padTop!) * inRow;
        flush((row) => row <= oy && (row + 1) * outRow <= dead);
      }
      flush(() => true);
      if (space(r) !== space(w)) problems.push(`step ${step}: in-place ${node.name} writes outside its input's space`);
      return;
    }
    // A pointwise layer in place over an input of another size (tg_conv_1x1_in_place): the kernel
    // goes forward pixel by pixel, reading a pixel's input and then writing its output; each read
    // must find the input's own bytes.
    const input0 = inputs[0];
    if (plan.inPlaceSteps.has(step) && input0 !== undefined && pointwise) {
      const out = node.outputs[0]!;
      const [r, w] = [where(input0), where(out)];
      const map = owners.get(space(r))!;
      const inC = tensorOf(graph, input0).shape.at(-1)!;
      const outC = tensorOf(graph, out).shape.at(-1)!;
      const pixels = bytesOf(input0) / inC;
      value.set(out, out);
      for (let q = 0; q < pixels; q++) {
        for (let b = start(r) + q * inC; b < start(r) + (q + 1) * inC; b++) {
          if (map.get(b) !== value.get(input0)) {
            problems.push(`step ${step}: in-place ${node.name} reads pixel ${q} of ${input0} after overwriting it`);
            q = pixels;
            break;
          }
        }
        for (let b = start(w) + q * outC; b < start(w) + (q + 1) * outC; b++) map.set(b, out);
      }
      if (space(r) !== space(w)) problems.push(`step ${step}: in-place ${node.name} writes outside its input's space`);
      return;
    }
    for (const out of node.outputs) {
      const s = where(out);
      if (s.kind === 'input') problems.push(`step ${step}: ${out} is written through an input pointer`);
      if (s.kind === 'arena' && (s.offset % ARENA_ALIGNMENT !== 0 || s.offset + bytesOf(out) > plan.arenaBytes)) problems.push(`step ${step}: ${out} at ${s.offset} is misaligned or outside the arena`);
      for (const input of inputs) {
        const r = where(input);
        const overlap = space(r) === space(s) && start(r) < start(s) + bytesOf(out) && start(s) < start(r) + bytesOf(input);
        const exact = start(r) === start(s) && bytesOf(input) === bytesOf(out);
        if (overlap && !(plan.inPlaceSteps.has(step) && exact)) problems.push(`step ${step}: ${out} overlaps input ${input} of ${node.name}`);
      }
      value.set(out, out);
    }
    for (const out of node.outputs) write(out);
  });
  for (const name of graph.outputs) if (!holds(name)) problems.push(`graph output ${name} was overwritten`);
  return problems;
}

/**
 * Steps at which each tensor is written and last read (its write step when never read). With
 * inputs and outputs in the arena, a graph input lives from the first step and a graph output to
 * the last.
 */
function lifetimes(graph: Graph, io: IoPlacement = 'caller'): Map<string, { first: number; last: number }> {
  const life = new Map<string, { first: number; last: number }>();
  if (io === 'arena') for (const name of graph.inputs) life.set(name, { first: 0, last: 0 });
  graph.nodes.forEach((node, step) => {
    for (const name of activations(graph, node.inputs)) {
      const l = life.get(name);
      if (l) l.last = Math.max(l.last, step);
    }
    for (const name of node.outputs) life.set(name, { first: step, last: step });
  });
  if (io === 'arena') for (const name of graph.outputs) life.get(name)!.last = graph.nodes.length - 1;
  return life;
}

/**
 * Arena bytes live at each step: the union of the (aligned) byte ranges of the tensors alive then,
 * and of the running node's scratch space.
 */
export function liveBytesFromTensors(graph: Graph, plan: MemoryPlan, io: IoPlacement = 'caller'): number[] {
  const life = lifetimes(graph, io);
  return graph.nodes.map((_, step) => {
    const scratch = plan.buffers.filter((b) => b.scratchStep === step).map((b) => [b.offset, b.offset + b.bytes] as const);
    const ranges = [...life]
      .filter(([name, l]) => l.first <= step && step <= l.last && plan.storage.get(name)?.kind === 'arena')
      .map(([name]) => [start(plan.storage.get(name)!), start(plan.storage.get(name)!) + alignUp(tensorBytes(tensorOf(graph, name)))] as const)
      .concat(scratch)
      .sort((a, b) => a[0] - b[0]);
    let total = 0;
    let reached = 0;
    for (const [from, to] of ranges) {
      total += Math.max(0, to - Math.max(from, reached));
      reached = Math.max(reached, to);
    }
    return total;
  });
}

/**
 * The nodes among `ops` that must run in place: one of their inputs has the output's size, is not
 * (a view of) an API tensor, and is read for the last time there (itself and its views).
 */
export function expectedInPlace(graph: Graph, plan: MemoryPlan, ops: readonly string[]): Set<string> {
  const life = lifetimes(graph);
  // View groups, from the views that emit nothing.
  const root = new Map<string, string>();
  const rootOf = (name: string): string => (root.has(name) ? rootOf(root.get(name)!) : name);
  graph.nodes.forEach((node, step) => plan.aliasedSteps.has(step) && root.set(node.outputs[0]!, rootOf(activations(graph, node.inputs)[0]!)));
  const members = (name: string) => [...life.keys(), ...graph.inputs].filter((t) => rootOf(t) === rootOf(name));
  const api = new Set([...graph.inputs, ...graph.outputs]);
  const expected = new Set<string>();
  graph.nodes.forEach((node, step) => {
    if (!ops.includes(node.op)) return;
    const out = node.outputs[0]!;
    const eligible = activations(graph, node.inputs).some((input) => {
      const group = members(input);
      return (
        tensorBytes(tensorOf(graph, input)) === tensorBytes(tensorOf(graph, out)) &&
        !group.some((t) => api.has(t)) &&
        Math.max(...group.map((t) => life.get(t)?.last ?? -1)) === step
      );
    });
    if (eligible) expected.add(node.name);
  });
  return expected;
}

/** What every plan must pass: the byte-level simulation, and per-step live bytes from tensor lifetimes. */
export function expectSoundPlan({ graph, plan, io }: { graph: Graph; plan: MemoryPlan; io: IoPlacement }, label: string): void {
  expect(simulatePlan(graph, plan), label).toEqual([]);
  expect(plan.liveBytes, label).toEqual(liveBytesFromTensors(graph, plan, io));
}
