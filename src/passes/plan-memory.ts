/**
 * A first memory planner. Views share storage with their input (an alias group). Each group
 * that is not bound to an API pointer lives in the arena from its first write to its last
 * read; groups are placed largest first, each in the smallest gap that no group alive at the
 * same time occupies.
 */
import type { Graph } from '../ir/graph.ts';
import { isConstant, tensorBytes, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';

export const ARENA_ALIGNMENT = 8;

export type Storage = { kind: 'arena'; offset: number } | { kind: 'input'; index: number } | { kind: 'output'; index: number };

/** One arena buffer: tensors sharing storage, alive over steps [first, last] of the schedule. */
export interface ArenaBuffer {
  tensors: string[];
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
  /** Nodes whose output shares its input's storage: they emit no code. */
  aliasedNodes: Set<string>;
}

interface Group {
  tensors: string[];
  bytes: number;
  first: number;
  last: number;
  external?: Storage;
  offset?: number;
}

const alignUp = (n: number) => Math.ceil(n / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;

export function planMemory(graph: Graph): MemoryPlan {
  const external = new Map<string, Storage>();
  graph.inputs.forEach((name, index) => external.set(name, { kind: 'input', index }));
  graph.outputs.forEach((name, index) => external.set(name, { kind: 'output', index }));

  const groupOf = new Map<string, Group>();
  const groups: Group[] = [];
  const groupFor = (name: string): Group => {
    let group = groupOf.get(name);
    if (!group) {
      group = { tensors: [name], bytes: tensorBytes(tensorOf(graph, name)), first: Infinity, last: -Infinity, external: external.get(name) };
      groups.push(group);
      groupOf.set(name, group);
    }
    return group;
  };

  const aliasedNodes = new Set<string>();
  graph.nodes.forEach((node, step) => {
    const inputs = node.inputs.filter((n) => n !== '' && !isConstant(graph, n));
    for (const name of inputs) {
      const g = groupFor(name);
      g.first = Math.min(g.first, step);
      g.last = Math.max(g.last, step);
    }
    const source = inputs[0];
    const def = opDefinition(node.op);
    for (const name of node.outputs) {
      const outExternal = external.get(name);
      const into = source !== undefined && def.view?.(node, graph) ? groupFor(source) : undefined;
      // Two API pointers cannot be one buffer: such a view is a copy.
      if (into && !(into.external && outExternal)) {
        into.tensors.push(name);
        into.external ??= outExternal;
        into.last = Math.max(into.last, step);
        groupOf.set(name, into);
        aliasedNodes.add(node.name);
      } else {
        const g = groupFor(name);
        g.first = Math.min(g.first, step);
        g.last = Math.max(g.last, step);
      }
    }
  });
  // Every later read of an alias extends its group's life.
  graph.nodes.forEach((node, step) => {
    for (const name of node.inputs) {
      const g = groupOf.get(name);
      if (g) g.last = Math.max(g.last, step);
    }
  });

  const placed: Group[] = [];
  const inArena = groups.filter((g) => !g.external).sort((a, b) => b.bytes - a.bytes || a.first - b.first);
  for (const group of inArena) {
    const size = alignUp(group.bytes);
    const busy = placed
      .filter((p) => p.first <= group.last && group.first <= p.last)
      .map((p) => [p.offset!, p.offset! + alignUp(p.bytes)] as const)
      .sort((a, b) => a[0] - b[0]);
    let best: number | undefined;
    let bestGap = Infinity;
    let cursor = 0;
    for (const [start, end] of busy) {
      const gap = start - cursor;
      if (gap >= size && gap < bestGap) {
        best = cursor;
        bestGap = gap;
      }
      cursor = Math.max(cursor, end);
    }
    group.offset = best ?? cursor;
    placed.push(group);
  }

  const storage = new Map<string, Storage>();
  let arenaBytes = 0;
  for (const group of groups) {
    const where: Storage = group.external ?? { kind: 'arena', offset: group.offset! };
    if (!group.external) arenaBytes = Math.max(arenaBytes, group.offset! + alignUp(group.bytes));
    for (const name of group.tensors) storage.set(name, where);
  }
  const buffers = placed.map((g) => ({ tensors: [...g.tensors], offset: g.offset!, bytes: alignUp(g.bytes), first: g.first, last: g.last }));
  let lowerBoundBytes = 0;
  graph.nodes.forEach((_, step) => {
    const live = buffers.filter((b) => b.first <= step && step <= b.last).reduce((sum, b) => sum + b.bytes, 0);
    lowerBoundBytes = Math.max(lowerBoundBytes, live);
  });
  return { arenaBytes, lowerBoundBytes, buffers, storage, aliasedNodes };
}
