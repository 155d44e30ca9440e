/**
 * Execution order for memory: where the graph leaves a choice (parallel branches, the skip path
 * of a residual block), picks the topological order whose arena is smallest. Small graphs are
 * searched exactly (dynamic programming over the set of nodes already run, with a state budget);
 * larger ones fall back to a greedy order. Each candidate's live bytes follow the planner's own
 * rules (storageModel: views alias, in-place joins, API tensors outside the arena), and the
 * candidates are then compared by the arena planMemory really gives them, the given order
 * winning ties, so the result is deterministic and never worse than the given order.
 */
import type { Graph } from '../ir/graph.ts';
import { isConstant } from '../ir/graph.ts';
import type { CompileOptions } from '../ops/op.ts';
import { planMemory, storageModel, type StorageModel } from './plan-memory.ts';

/** Distinct sets of already-run nodes the exact search may visit before it gives up. */
const EXACT_STATE_BUDGET = 5_000;
/** Larger graphs are ordered greedily: the exact search recurses once per node. */
const EXACT_MAX_NODES = 256;

/** Live-bytes bookkeeping while a schedule is built one node at a time. */
class LiveState {
  /** Readers of each view group that have not run yet. */
  private readonly pending: Int32Array;
  /** Arena bytes held after the nodes run so far. */
  live = 0;

  constructor(private readonly model: StorageModel) {
    // An output held in the arena is never released; an input held there is live from the start.
    this.pending = Int32Array.from(model.groups, (g) => g.readers.length + (g.api === 'output' ? 1 : 0));
    for (const [id, g] of model.groups.entries()) if (g.producer < 0 && this.pending[id]! > 0) this.live += this.arenaBytes(id);
  }

  private arenaBytes(group: number): number {
    const g = this.model.groups[group]!;
    return g.external ? 0 : g.bytes;
  }

  /** Arena bytes live while `node` runs next: what is held, its scratch, plus what it writes, less an in-place output. */
  stepBytes(node: number): number {
    const info = this.model.nodes[node]!;
    let bytes = this.live + info.scratchBytes;
    for (const g of info.writes) bytes += this.arenaBytes(g);
    // Joined in place, the output needs only what it adds beyond its input's buffer, and the
    // kernel's extra scratch.
    const join = info.inPlace.find((c) => this.pending[c.input] === 1);
    if (join) bytes += join.scratchBytes - Math.min(this.arenaBytes(join.output), this.arenaBytes(join.input));
    return bytes;
  }

  run(node: number): void {
    const info = this.model.nodes[node]!;
    for (const g of info.reads) if (--this.pending[g]! === 0) this.live -= this.arenaBytes(g);
    for (const g of info.writes) if (this.pending[g]! > 0) this.live += this.arenaBytes(g);
  }

  undo(node: number, live: number): void {
    for (const g of this.model.nodes[node]!.reads) this.pending[g]!++;
    this.live = live;
  }
}

/** For each node, the nodes that must run before it (producers of its inputs). */
function predecessors(graph: Graph): number[][] {
  const producer = new Map<string, number>();
  graph.nodes.forEach((node, index) => node.outputs.forEach((name) => producer.set(name, index)));
  return graph.nodes.map((node) => [
    ...new Set(node.inputs.filter((name) => name !== '' && !isConstant(graph, name) && producer.has(name)).map((name) => producer.get(name)!)),
  ]);
}

/** Tracks which nodes are ready (every predecessor has run). */
class Readiness {
  private readonly missing: Int32Array;
  private readonly successors: number[][];

  constructor(preds: number[][]) {
    this.missing = Int32Array.from(preds, (p) => p.length);
    this.successors = preds.map(() => []);
    preds.forEach((p, node) => p.forEach((pred) => this.successors[pred]!.push(node)));
  }

  ready(node: number): boolean {
    return this.missing[node] === 0;
  }

  run(node: number): void {
    for (const s of this.successors[node]!) this.missing[s]!--;
  }

  undo(node: number): void {
    for (const s of this.successors[node]!) this.missing[s]!++;
  }
}

/**
 * The order with the lowest peak of live bytes, found exactly by dynamic programming over the
 * set of nodes already run (live bytes depend only on that set); among equal peaks, the lowest
 * node index runs first, so the given order survives wherever it is optimal. Undefined when the
 * graph has too many such sets.
 */
function exactOrder(model: StorageModel, preds: number[][]): number[] | undefined {
  const count = preds.length;
  const state = new LiveState(model);
  const readiness = new Readiness(preds);
  const best = new Map<bigint, { peak: number; next: number }>();
  const done = new Array<boolean>(count).fill(false);

  const solve = (mask: bigint, depth: number): number | undefined => {
    if (depth === count) return 0;
    const known = best.get(mask);
    if (known) return known.peak;
    if (best.size >= EXACT_STATE_BUDGET) return undefined;
    let choice: { peak: number; next: number } | undefined;
    for (let node = 0; node < count; node++) {
      if (done[node] || !readiness.ready(node)) continue;
      const step = state.stepBytes(node);
      if (choice && step >= choice.peak) continue;
      const live = state.live;
      state.run(node);
      readiness.run(node);
      done[node] = true;
      const rest = solve(mask | (1n << BigInt(node)), depth + 1);
      done[node] = false;
      readiness.undo(node);
      state.undo(node, live);
      if (rest === undefined) return undefined;
      const peak = Math.max(step, rest);
      if (!choice || peak < choice.peak) choice = { peak, next: node };
    }
    best.set(mask, choice!);
    return choice!.peak;
  };
  if (solve(0n, 0) === undefined) return undefined;

  const order: number[] = [];
  for (let mask = 0n; order.length < count; ) {
    const next = best.get(mask)!.next;
    order.push(next);
    mask |= 1n << BigInt(next);
  }
  return order;
}

/** One node at a time: the ready node with the fewest bytes live while it runs, then after it; then the lowest index. */
function greedyOrder(model: StorageModel, preds: number[][]): number[] {
  const state = new LiveState(model);
  const readiness = new Readiness(preds);
  const done = new Array<boolean>(preds.length).fill(false);
  const order: number[] = [];
  while (order.length < preds.length) {
    let pick: { node: number; step: number; after: number } | undefined;
    for (let node = 0; node < preds.length; node++) {
      if (done[node] || !readiness.ready(node)) continue;
      const step = state.stepBytes(node);
      const live = state.live;
      state.run(node);
      const after = state.live;
      state.undo(node, live);
      if (!pick || step < pick.step || (step === pick.step && after < pick.after)) pick = { node, step, after };
    }
    state.run(pick!.node);
    readiness.run(pick!.node);
    done[pick!.node] = true;
    order.push(pick!.node);
  }
  return order;
}

export function scheduleForMemory(graph: Graph, options: CompileOptions): Graph {
  const io = options.io ?? 'caller';
  const optimize = options.optimize ?? 'balanced';
  const preds = predecessors(graph);
  const given = graph.nodes.map((_, i) => i);
  // The order best with every layer apart, and (unless --optimize time, which runs none in place
  // over an input of another size) the one best with all of those in place: the planner then
  // takes only some of them, so neither cost model is exact, and the plans decide.
  const orderFor = (model: StorageModel) => (preds.length <= EXACT_MAX_NODES ? exactOrder(model, preds) : undefined) ?? greedyOrder(model, preds);
  const candidates = [orderFor(storageModel(graph, io, false)), ...(optimize === 'time' ? [] : [orderFor(storageModel(graph, io, true))])];
  let best = { graph, arena: planMemory(graph, io, optimize).arenaBytes };
  for (const order of candidates) {
    if (order.every((node, i) => node === given[i])) continue;
    const reordered = { ...graph, nodes: order.map((i) => graph.nodes[i]!) };
    const arena = planMemory(reordered, io, optimize).arenaBytes;
    if (arena < best.arena) best = { graph: reordered, arena };
  }
  return best.graph;
}
