/**
 * The lowering pipeline, in order. Each pass is Graph → Graph; the verifier runs after each.
 * Memory planning comes last and produces the plan code generation follows.
 */
import type { Graph } from '../ir/graph.ts';
import { verifyGraph } from '../ir/verify.ts';
import type { CompileOptions } from '../ops/op.ts';
import { inferShapes } from './infer-shapes.ts';
import { checkLimits, MAX_TENSOR_BYTES } from './check-limits.ts';
import { checkDeclaredTypes } from './check-declared-types.ts';
import { UserError } from '../errors.ts';
import { checkQuantization } from './check-quantization.ts';
import { uint8ToInt8 } from './uint8-to-int8.ts';
import { fuseActivations } from './fuse-activations.ts';
import { layoutNhwc } from './layout-nhwc.ts';
import { prepareOps } from './prepare-ops.ts';
import { scheduleForMemory } from './schedule.ts';
import { LINE_BUFFERED_OPS, lineBuffer } from './line-buffer.ts';
import { planMemory, type MemoryPlan } from './plan-memory.ts';

export interface Pass {
  name: string;
  run(graph: Graph, options: CompileOptions): Graph;
}

export const PASSES: readonly Pass[] = [
  { name: 'infer-shapes', run: inferShapes },
  { name: 'check-declared-types', run: checkDeclaredTypes },
  { name: 'check-limits', run: checkLimits },
  { name: 'check-quantization', run: checkQuantization },
  { name: 'uint8-to-int8', run: uint8ToInt8 },
  { name: 'layout-nhwc', run: layoutNhwc },
  // After layout, which moves a Relu onto the NHWC side of its conv's Transpose, next to the conv.
  { name: 'fuse-activations', run: fuseActivations },
  // After the activations fold into the convs; before prepare-ops, which prepares a block's nodes.
  { name: 'line-buffer', run: lineBuffer },
  { name: 'prepare-ops', run: prepareOps },
  // Last, so it orders the final nodes with their final sizes, views and in-place ops.
  { name: 'schedule', run: scheduleForMemory },
];

export interface Lowered {
  graph: Graph;
  plan: MemoryPlan;
}

export function lower(graph: Graph, options: CompileOptions): Lowered {
  verifyGraph(graph, 'import');
  // The passes before line buffering do not depend on its options: they run once for every
  // variant below.
  const split = PASSES.findIndex((pass) => pass.name === 'line-buffer');
  const common = runPasses(graph, PASSES.slice(0, split), options);
  const lowerWith = (variant: CompileOptions) => planned(runPasses(common, PASSES.slice(split), variant), variant);
  // Line buffering lowers the peak where a fused step's rows replace a large map, but unfused
  // layers (in place over their inputs) can need less: the smallest arena wins, with fewer
  // fusions (faster) on a tie: every fusion, then none of the conv chains, then none at all.
  let best = lowerWith(options);
  const fuses = (lowered: Lowered, ops: readonly string[]) => lowered.graph.nodes.some((n) => ops.includes(n.op));
  if (fuses(best, ['ConvChainRows'])) {
    const withoutChains = lowerWith({ ...options, convChains: false });
    if (withoutChains.plan.arenaBytes <= best.plan.arenaBytes) best = withoutChains;
  }
  if (fuses(best, LINE_BUFFERED_OPS)) {
    const unfused = lowerWith({ ...options, lineBuffer: false });
    if (unfused.plan.arenaBytes <= best.plan.arenaBytes) best = unfused;
  }
  return best;
}

function runPasses(graph: Graph, passes: readonly Pass[], options: CompileOptions): Graph {
  let current = graph;
  for (const pass of passes) {
    current = pass.run(current, options);
    verifyGraph(current, pass.name);
  }
  return current;
}

function planned(graph: Graph, options: CompileOptions): Lowered {
  const plan = planMemory(graph, options.io ?? 'caller', options.optimize ?? 'balanced');
  if (plan.arenaBytes > MAX_TENSOR_BYTES) throw new UserError(`the arena needs ${plan.arenaBytes} bytes; tinygen's limit is ${MAX_TENSOR_BYTES}`);
  return { graph, plan };
}
