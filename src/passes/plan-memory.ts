/**
 * The memory planner. Views share storage with their input, and an elementwise op whose input
 * dies at it writes its output over that input (in place); tensors sharing storage form one
 * buffer. Each buffer that is not bound to an API pointer lives in the arena from its first
 * write to its last read. Buffers are placed one at a time, each at the lowest offset that no
 * buffer alive at the same time occupies; several placement orders are tried and the smallest
 * arena is kept. Kernels' scratch space is placed the same way, alive for its node's step only.
 */
import type { Graph } from '../ir/graph.ts';
import { isConstant, tensorBytes, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import type { IoPlacement, OptimizeGoal } from '../ops/op.ts';
import { seededRandom } from '../util/random.ts';

export const ARENA_ALIGNMENT = 8;

export type Storage = { kind: 'arena'; offset: number } | { kind: 'input'; index: number } | { kind: 'output'; index: number };

/**
 * One arena buffer: tensors sharing storage, alive over steps [first, last] of the schedule; or a
 * node's scratch space (no tensors), alive while that node runs.
 */
export interface ArenaBuffer {
  tensors: string[];
  /** The step (index in the schedule) of the node whose scratch space this is. */
  scratchStep?: number;
  offset: number;
  /** Bytes, rounded up to the arena alignment. */
  bytes: number;
  first: number;
  last: number;
}

export interface MemoryPlan {
  arenaBytes: number;
  /**
   * The most bytes that must be live at once at any step of the schedule: no placement of these
   * buffers can use a smaller arena.
   */
  lowerBoundBytes: number;
  buffers: ArenaBuffer[];
  storage: Map<string, Storage>;
  /**
   * Nodes are named by their step (index in the schedule), never by their name: names come from
   * the model file and need not be unique.
   * Steps whose output shares its input's storage: they emit no code.
   */
  aliasedSteps: Set<number>;
  /** Steps whose output takes over the storage of an input that dies there: they run, in place. */
  inPlaceSteps: Set<number>;
  /** Arena bytes live at each step of the schedule (one entry per node); the largest is lowerBoundBytes. */
  liveBytes: number[];
  /** Arena offset of each step's scratch space, for nodes whose op asks for one. */
  scratchOffsets: Map<number, number>;
  /** The goal the plan was made for. */
  optimize: OptimizeGoal;
  /** The bound with no layer in place over an input of another size (the arena's floor before them). */
  noInPlaceBoundBytes: number;
  /** Estimated instructions the in-place kernels spend beyond the usual ones (their extra copies). */
  extraInstructions: number;
}

export const alignUp = (n: number) => Math.ceil(n / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;

/** Tensors that share storage whatever the schedule: a tensor and the views of it. */
export interface ViewGroup {
  tensors: string[];
  /** Arena bytes (aligned); the tensors of a group all have the same size. */
  bytes: number;
  /** Set when an API pointer holds the group. */
  external?: Storage;
  /** A graph input or output (in the arena when inputs and outputs are placed there). */
  api?: 'input' | 'output';
  /** Index in graph.nodes of the node that writes the group. */
  producer: number;
  /** Indices in graph.nodes of the distinct nodes that read the group, ascending. */
  readers: number[];
}

/** What one node does to storage, whatever the schedule. */
export interface NodeStorage {
  /** View groups the node reads. */
  reads: number[];
  /** View groups the node writes first. */
  writes: number[];
  /** True when the node is a view that aliases its input: it emits no code. */
  aliased: boolean;
  /**
   * In-place candidates, preferred first, that the op allows and whose sizes and kinds permit; the
   * first whose input group dies at the node is taken (a resized one only when the plan allows them).
   */
  inPlace: InPlaceCandidate[];
  /** Arena bytes (aligned) of the kernel's scratch space while the node runs. */
  scratchBytes: number;
}

/** An input group whose buffer a node's output group may take over. */
export interface InPlaceCandidate {
  input: number;
  output: number;
  /** Extra scratch bytes (aligned) the kernel needs while it runs in place. */
  scratchBytes: number;
  /** Offered through inPlaceResized: the sizes may differ, and the kernel pays a copy for it. */
  resized: boolean;
  /** Estimated instructions the in-place kernel adds (0 unless resized). */
  extraInstructions: number;
}

/** The schedule-independent part of planning, shared with the scheduler so both apply the same rules. */
export interface StorageModel {
  groups: ViewGroup[];
  groupOf: Map<string, number>;
  nodes: NodeStorage[];
}

/** `resized`: offer the in-place joins over an input of another size (not under --optimize time). */
export function storageModel(graph: Graph, io: IoPlacement = 'caller', resized = true): StorageModel {
  const external = new Map<string, Storage>();
  if (io === 'caller') {
    graph.inputs.forEach((name, index) => external.set(name, { kind: 'input', index }));
    graph.outputs.forEach((name, index) => external.set(name, { kind: 'output', index }));
  }
  const api = new Map<string, 'input' | 'output'>();
  graph.inputs.forEach((name) => api.set(name, 'input'));
  graph.outputs.forEach((name) => api.set(name, 'output'));

  const groups: ViewGroup[] = [];
  const groupOf = new Map<string, number>();
  const groupFor = (name: string, producer: number): number => {
    let id = groupOf.get(name);
    if (id === undefined) {
      id = groups.length;
      const role = api.get(name);
      groups.push({ tensors: [name], bytes: alignUp(tensorBytes(tensorOf(graph, name))), external: external.get(name), ...(role ? { api: role } : {}), producer, readers: [] });
      groupOf.set(name, id);
    }
    return id;
  };
  const activations = (names: string[]) => names.filter((n) => n !== '' && !isConstant(graph, n));

  const nodes = graph.nodes.map((node, index): NodeStorage => {
    const inputs = activations(node.inputs);
    const reads = [...new Set(inputs.map((name) => groupFor(name, -1)))];
    for (const id of reads) groups[id]!.readers.push(index);
    const def = opDefinition(node.op);
    const source = inputs[0];
    const into = source !== undefined && def.view?.(node, graph) ? groupOf.get(source)! : undefined;
    const writes: number[] = [];
    let aliased = false;
    for (const name of node.outputs) {
      const outExternal = external.get(name);
      // Two API pointers cannot be one buffer: such a view is a copy.
      if (into !== undefined && !(groups[into]!.external && outExternal)) {
        groups[into]!.tensors.push(name);
        groups[into]!.external ??= outExternal;
        // A view that is a graph output keeps the group to the end.
        if (api.get(name) === 'output') groups[into]!.api = 'output';
        groupOf.set(name, into);
        aliased = true;
      } else writes.push(groupFor(name, index));
    }
    return { reads, writes, aliased, inPlace: [], scratchBytes: alignUp(def.scratchBytes?.(node, graph) ?? 0) };
  });

  // In place needs a same-sized input held in the arena: an input's API pointer is const, and an
  // output's bytes must last to the end, in the arena too. (An input in the arena may be
  // overwritten once dead: the caller writes the inputs before every run.)
  graph.nodes.forEach((node, index) => {
    const step = nodes[index]!;
    const def = opDefinition(node.op);
    if (step.aliased || !def.inPlace || node.outputs.length !== 1) return;
    const output = node.outputs[0]!;
    const outGroup = groupOf.get(output)!;
    for (const i of def.inPlace(node, graph)) {
      const input = node.inputs[i];
      if (input === undefined || input === '' || isConstant(graph, input)) continue;
      const inGroup = groupOf.get(input)!;
      if (groups[inGroup]!.external || groups[inGroup]!.api === 'output' || tensorBytes(tensorOf(graph, input)) !== tensorBytes(tensorOf(graph, output))) continue;
      if (!step.inPlace.some((c) => c.input === inGroup)) step.inPlace.push({ input: inGroup, output: outGroup, scratchBytes: 0, resized: false, extraInstructions: 0 });
    }
  });
  // In place over an input of another size: offered after the same-size candidates, and only if
  // neither group is held by an API pointer (the output's buffer may grow into what follows).
  graph.nodes.forEach((node, index) => {
    const step = nodes[index]!;
    const rule = !resized || step.aliased || node.outputs.length !== 1 ? undefined : opDefinition(node.op).inPlaceResized?.(node, graph);
    if (!rule) return;
    const input = node.inputs[rule.input];
    if (input === undefined || input === '' || isConstant(graph, input)) return;
    const inGroup = groupOf.get(input)!;
    const outGroup = groupOf.get(node.outputs[0]!)!;
    if (groups[inGroup]!.external || groups[outGroup]!.external || groups[inGroup]!.api === 'output') return;
    if (step.inPlace.some((c) => c.input === inGroup)) return;
    step.inPlace.push({ input: inGroup, output: outGroup, scratchBytes: alignUp(rule.scratchBytes), resized: true, extraInstructions: rule.extraInstructions });
  });
  return { groups, groupOf, nodes };
}

/** Buffers to place: start and end step, and size. */
interface Interval {
  first: number;
  last: number;
  bytes: number;
}

/** Placement orders tried, each a comparator; ties fall back to index order so the result is deterministic. */
const PLACEMENT_ORDERS: ((a: Interval, b: Interval) => number)[] = [
  (a, b) => b.bytes - a.bytes || a.first - b.first,
  (a, b) => b.bytes * (b.last - b.first + 1) - a.bytes * (a.last - a.first + 1) || b.bytes - a.bytes,
  (a, b) => b.last - b.first - (a.last - a.first) || b.bytes - a.bytes,
  (a, b) => a.first - b.first || b.bytes - a.bytes,
];

/**
 * Shuffled placement orders tried after the heuristic ones: at most RANDOM_ORDERS, fewer for many
 * buffers (each order costs about buffers² steps) to keep compile time small; and their seed.
 */
const RANDOM_ORDERS = 200;
const RANDOM_ORDER_WORK = 400_000;
const RANDOM_ORDER_SEED = 0x7e1a;

/** Two intervals whose offsets are tied: `second` lies at the offset of `first` plus `delta`. */
export interface Tie {
  first: number;
  second: number;
  delta: number;
}

/**
 * The groups of intervals that ties hold together (a chain of pointwise layers in place is one),
 * each member with its offset relative to the group's lowest one; untied intervals are absent.
 */
function tiedGroups(count: number, ties: readonly Tie[]): Map<number, { index: number; delta: number }[]> {
  const links = new Map<number, { to: number; delta: number }[]>();
  const link = (from: number, to: number, delta: number) => links.set(from, [...(links.get(from) ?? []), { to, delta }]);
  for (const t of ties) {
    link(t.first, t.second, t.delta);
    link(t.second, t.first, -t.delta);
  }
  const groupOf = new Map<number, { index: number; delta: number }[]>();
  for (let start = 0; start < count; start++) {
    if (!links.has(start) || groupOf.has(start)) continue;
    const relative = new Map([[start, 0]]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const { to, delta } of links.get(at)!) {
        if (relative.has(to)) continue;
        relative.set(to, relative.get(at)! + delta);
        queue.push(to);
      }
    }
    const low = Math.min(...relative.values());
    const members = [...relative].map(([index, delta]) => ({ index, delta: delta - low }));
    for (const m of members) groupOf.set(m.index, members);
  }
  return groupOf;
}

/**
 * Offsets for the intervals: the smallest arena among greedy placements in several orders, each
 * with best fit and with lowest fit, stopping as soon as one reaches the lower bound. Tied
 * intervals are placed together, at their fixed distances.
 */
function place(intervals: readonly Interval[], lowerBound: number, ties: readonly Tie[] = []): number[] {
  const count = intervals.length;
  // Only intervals alive at the same step compete for bytes: each order compares those alone.
  const overlapping: number[][] = intervals.map(() => []);
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      if (intervals[i]!.first <= intervals[j]!.last && intervals[j]!.first <= intervals[i]!.last) {
        overlapping[i]!.push(j);
        overlapping[j]!.push(i);
      }
    }
  }
  const tied = tiedGroups(count, ties);
  // The order being tried: each interval's offset, -1 until placed.
  const offsets = new Float64Array(count);
  const end = (j: number) => offsets[j]! + intervals[j]!.bytes;
  const placedBeside = (i: number) => overlapping[i]!.filter((j) => offsets[j]! >= 0);

  // The lowest gap that interval i fits in beside the placed intervals, or with bestFit the
  // smallest such gap (which keeps large gaps for large buffers); above everything when none fits.
  const fit = (i: number, bestFit: boolean): number => {
    const bytes = intervals[i]!.bytes;
    const busy = placedBeside(i).sort((a, b) => offsets[a]! - offsets[b]! || end(a) - end(b));
    let best: number | undefined;
    let bestGap = Infinity;
    let cursor = 0;
    for (const j of busy) {
      const gap = offsets[j]! - cursor;
      if (gap >= bytes && gap < bestGap) {
        if (!bestFit) return cursor;
        best = cursor;
        bestGap = gap;
      }
      cursor = Math.max(cursor, end(j));
    }
    return best ?? cursor;
  };
  // The lowest offset o at which each member m of a tied group fits at o + m.delta (a pointwise
  // layer in place and its input, whose offsets are fixed relative to each other).
  const fitTied = (members: readonly { index: number; delta: number }[]): number => {
    const beside = members.map(({ index, delta }) => ({ item: intervals[index]!, delta, busy: placedBeside(index) }));
    const clashes = (o: number) => beside.some(({ item, delta, busy }) => busy.some((j) => offsets[j]! < o + delta + item.bytes && o + delta < end(j)));
    const candidates = [0, ...beside.flatMap(({ delta, busy }) => busy.map((j) => end(j) - delta))].filter((o) => o >= 0).sort((a, b) => a - b);
    for (const o of candidates) if (!clashes(o)) return o;
    throw new Error('internal: no offset for a tied buffer pair');
  };

  let best: { offsets: number[]; size: number } | undefined;
  const tryOrder = (order: readonly number[], bestFit: boolean) => {
    offsets.fill(-1);
    let size = 0;
    for (const i of order) {
      if (offsets[i]! >= 0) continue;
      const members = tied.get(i) ?? [{ index: i, delta: 0 }];
      const offset = members.length > 1 ? fitTied(members) : fit(i, bestFit);
      for (const m of members) {
        offsets[m.index] = offset + m.delta;
        size = Math.max(size, end(m.index));
      }
      if (best && size >= best.size) return;
    }
    best = { offsets: Array.from(offsets), size };
  };
  const placedAtBound = (order: readonly number[]): boolean => {
    for (const bestFit of [true, false]) {
      tryOrder(order, bestFit);
      if (best!.size <= lowerBound) return true;
    }
    return false;
  };
  const indices = intervals.map((_, i) => i);
  for (const compare of PLACEMENT_ORDERS) {
    if (placedAtBound([...indices].sort((a, b) => compare(intervals[a]!, intervals[b]!) || a - b))) return best!.offsets;
  }
  // Shuffled orders from a fixed seed (so the plan is deterministic) escape the heuristics' blind spots.
  const random = seededRandom(RANDOM_ORDER_SEED);
  const rounds = Math.min(RANDOM_ORDERS, Math.ceil(RANDOM_ORDER_WORK / count ** 2));
  for (let round = 0; round < rounds; round++) {
    const keys = indices.map(() => random());
    if (placedAtBound([...indices].sort((a, b) => keys[a]! - keys[b]!))) return best!.offsets;
  }
  return best?.offsets ?? [];
}

/** The share of the model's estimated instructions that 'balanced' lets in-place copies add. */
export const BALANCED_EXTRA = 0.05;

/**
 * The model's instructions as the planner estimates them: one per multiply-accumulate (tinygen's
 * kernels spend about 0.5 on the M55 to 2.5 on the M3; bench measures them).
 */
export function estimatedInstructions(graph: Graph): number {
  return graph.nodes.reduce((sum, node) => sum + (opDefinition(node.op).macs?.(node, graph) ?? 0), 0);
}

/**
 * The plan for a schedule. Ops that can run in place over an input of another size (a pointwise
 * or depthwise convolution, whose in-place kernel copies each output byte once more) do so only
 * where that lowers the arena: with all of them allowed the plan gives a lower bound; those at
 * steps that would exceed it without their join are kept, and the rest run as usual. The plain
 * plan wins ties. `optimize` 'time' takes the plain plan; 'balanced' keeps, of those joins, the
 * cheapest whose estimated copies stay within BALANCED_EXTRA of the model's instructions.
 */
export function planMemory(graph: Graph, io: IoPlacement = 'caller', optimize: OptimizeGoal = 'balanced'): MemoryPlan {
  const model = storageModel(graph, io);
  const usual = planWith(graph, model, () => false);
  const plan = (allowResized: (step: number) => boolean): MemoryPlan => ({ ...planWith(graph, model, allowResized), optimize, noInPlaceBoundBytes: usual.lowerBoundBytes });
  const plain: MemoryPlan = { ...usual, optimize, noInPlaceBoundBytes: usual.lowerBoundBytes };
  const resizable = model.nodes.flatMap((n, step) => (n.inPlace.some((c) => c.resized) ? [step] : []));
  if (optimize === 'time' || resizable.length === 0) return plain;
  const all = plan(() => true);
  const needed = resizable.filter((step) => plain.liveBytes[step]! > all.lowerBoundBytes);
  // The same joins plan the same: a plan is made once for each set of them.
  const chosen = needed.length === resizable.length ? all : plan((step) => needed.includes(step));
  const ram = chosen.arenaBytes <= all.arenaBytes ? chosen : all;
  if (ram.arenaBytes >= plain.arenaBytes) return plain;
  const budget = BALANCED_EXTRA * estimatedInstructions(graph);
  if (ram.extraInstructions <= budget) return ram;
  // Over budget: the joins at the steps that need them, cheapest first, while they fit.
  const cost = (step: number) => model.nodes[step]!.inPlace.find((c) => c.resized)!.extraInstructions;
  const kept: number[] = [];
  let spent = 0;
  for (const step of [...needed].sort((a, b) => cost(a) - cost(b))) {
    if (spent + cost(step) > budget) break;
    kept.push(step);
    spent += cost(step);
  }
  const balanced = kept.length === needed.length ? chosen : kept.length === 0 ? plain : plan((step) => kept.includes(step));
  // Placement is a heuristic: fewer joins can place better, and then 'ram' takes them too.
  if (optimize === 'ram') return balanced.arenaBytes < ram.arenaBytes ? balanced : ram;
  return balanced.arenaBytes < plain.arenaBytes ? balanced : plain;
}

function planWith(graph: Graph, model: StorageModel, allowResized: (step: number) => boolean): Omit<MemoryPlan, 'optimize' | 'noInPlaceBoundBytes'> {
  const { groups } = model;
  const steps = graph.nodes.length;
  // An output in the arena lives to the end of the run; an input from its start.
  const lastRead = groups.map((g) => (g.api === 'output' ? Math.max(steps - 1, 0) : g.readers.length ? Math.max(...g.readers) : Math.max(g.producer, 0)));

  // In-place joins: a view group takes over the buffer of the group it overwrites (a chain of
  // them is one buffer). Root of each group's buffer:
  const bufferOf = groups.map((_, id) => id);
  const root = (id: number): number => (bufferOf[id] === id ? id : (bufferOf[id] = root(bufferOf[id]!)));
  const aliasedSteps = new Set<number>();
  const inPlaceSteps = new Set<number>();
  const inPlaceScratch = new Array<number>(steps).fill(0);
  // A resized join is not one buffer: the input's buffer ends at the step and the output's starts
  // there, their offsets tied so that the output begins where the input does when it narrows,
  // and the input ends where the output does when it widens (tg_conv_1x1_in_place runs forward).
  const resizedPicks: (InPlaceCandidate & { step: number })[] = [];
  model.nodes.forEach((info, step) => {
    if (info.aliased) aliasedSteps.add(step);
    const join = info.inPlace.find((c) => lastRead[c.input] === step && (!c.resized || allowResized(step)));
    if (join?.resized) resizedPicks.push({ ...join, step });
    else if (join) {
      bufferOf[join.output] = root(join.input);
      inPlaceSteps.add(step);
    }
  });
  // A resized join needs both buffers in the arena: either may have joined an API buffer through
  // a later same-size join (an output converted in place in the output buffer).
  const externalRoots = new Set(groups.flatMap((g, id) => (g.external ? [root(id)] : [])));
  const resizedJoins = resizedPicks.filter((j) => !externalRoots.has(root(j.input)) && !externalRoots.has(root(j.output)));
  let extraInstructions = 0;
  for (const j of resizedJoins) {
    inPlaceSteps.add(j.step);
    inPlaceScratch[j.step] = j.scratchBytes;
    extraInstructions += j.extraInstructions;
  }

  interface Buffer extends Interval {
    groups: number[];
    external?: Storage;
  }
  const byRoot = new Map<number, Buffer>();
  groups.forEach((group, id) => {
    const r = root(id);
    let buffer = byRoot.get(r);
    if (!buffer) {
      buffer = { groups: [], first: Infinity, last: -Infinity, bytes: 0 };
      byRoot.set(r, buffer);
    }
    buffer.groups.push(id);
    buffer.external ??= group.external;
    buffer.bytes = Math.max(buffer.bytes, group.bytes);
    buffer.first = Math.min(buffer.first, Math.max(group.producer, 0));
    buffer.last = Math.max(buffer.last, lastRead[id]!);
  });
  const inArena: (Interval & { groups: number[]; scratchStep?: number })[] = [...byRoot.values()].filter((b) => !b.external);
  model.nodes.forEach(({ scratchBytes }, step) => {
    const bytes = scratchBytes + inPlaceScratch[step]!;
    if (bytes > 0) inArena.push({ groups: [], first: step, last: step, bytes, scratchStep: step });
  });

  const liveBytes = new Array<number>(steps).fill(0);
  for (const b of inArena) for (let step = b.first; step <= b.last; step++) liveBytes[step]! += b.bytes;
  const ties: Tie[] = resizedJoins.map(({ input, output, step }) => {
    const [inBuffer, outBuffer] = [byRoot.get(root(input))!, byRoot.get(root(output))!];
    // The input at the output's offset plus the growth, in exact bytes (the kernel's pixels need
    // all of it), rounded up to the alignment.
    const exact = (group: number) => tensorBytes(tensorOf(graph, groups[group]!.tensors[0]!));
    const delta = alignUp(Math.max(0, exact(output) - exact(input)));
    // Both live at the step, over shared bytes.
    liveBytes[step]! -= Math.max(0, Math.min(outBuffer.bytes - delta, inBuffer.bytes));
    return { first: inArena.indexOf(outBuffer), second: inArena.indexOf(inBuffer), delta };
  });
  const lowerBoundBytes = Math.max(0, ...liveBytes);
  const offsets = place(inArena, lowerBoundBytes, ties);

  const storage = new Map<string, Storage>();
  const buffers: ArenaBuffer[] = [];
  let arenaBytes = 0;
  const scratchOffsets = new Map<number, number>();
  inArena.forEach((buffer, i) => {
    if (buffer.scratchStep === undefined) return;
    scratchOffsets.set(buffer.scratchStep, offsets[i]!);
    arenaBytes = Math.max(arenaBytes, offsets[i]! + buffer.bytes);
    buffers.push({ tensors: [], scratchStep: buffer.scratchStep, offset: offsets[i]!, bytes: buffer.bytes, first: buffer.first, last: buffer.last });
  });
  for (const buffer of byRoot.values()) {
    const tensors = buffer.groups.flatMap((id) => groups[id]!.tensors);
    let where = buffer.external;
    if (!where) {
      const offset = offsets[inArena.indexOf(buffer)]!;
      where = { kind: 'arena', offset };
      arenaBytes = Math.max(arenaBytes, offset + buffer.bytes);
      buffers.push({ tensors, offset, bytes: buffer.bytes, first: buffer.first, last: buffer.last });
    }
    for (const name of tensors) storage.set(name, where);
  }
  return { arenaBytes, lowerBoundBytes, buffers, storage, aliasedSteps, inPlaceSteps, liveBytes, scratchOffsets, extraInstructions };
}
