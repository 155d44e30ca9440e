/**
 * The model report: per layer, what it computes and where its output lives in the arena; in
 * total, the flash and RAM it needs. Layer figures come from the compiler; code, static data and
 * stack from a real build for a board (measure-firmware.ts) when one is given.
 */
import type { Graph } from '../ir/graph.ts';
import { isConstant, tensorBytes, tensorOf } from '../ir/graph.ts';
import { opDefinition } from '../ops/registry.ts';
import type { Compiled } from '../pipeline.ts';
import type { GeneratedModel } from '../codegen/generate.ts';
import { estimatedInstructions, type ArenaBuffer } from '../passes/plan-memory.ts';
import { OPTIMIZE_GOALS, type OptimizeGoal } from '../ops/op.ts';
import { lower } from '../passes/index.ts';
import { TOOL_VERSION } from '../version.ts';
import type { FirmwareMeasurement } from './measure-firmware.ts';
import type { StackUse } from './call-graph.ts';

export interface LayerReport {
  index: number;
  node: string;
  op: string;
  /** Shapes of the activations it reads and writes (constants left out). */
  inputShapes: number[][];
  outputShapes: number[][];
  macs: number;
  /** Bytes of constant data the layer's code refers to (weights, biases, tables). */
  weightBytes: number;
  /** Where its (first) output lives: in the arena at an offset, or in a caller's API buffer. */
  output: { storage: 'arena' | 'input' | 'output'; offset: number | null; bytes: number };
  /** Arena bytes of the kernel's scratch space while the layer runs (e.g. a convolution's patch). */
  scratchBytes: number;
  /** 'view': no code, the output is its input's bytes; 'in place': it overwrites its input. */
  sharing: 'view' | 'in place' | null;
  /** Arena bytes live while the layer runs. */
  liveBytes: number;
}

export interface ModelReport {
  tool: string;
  model: string;
  name: string;
  sha256: string;
  rounding: string;
  /** The board the code, static data and stack were measured on; null when not built. */
  board: string | null;
  macs: number;
  arenaBytes: number;
  lowerBoundBytes: number;
  /** The bound with no layer in place over an input of another size (every such layer writing a fresh buffer). */
  noInPlaceBoundBytes: number;
  /** The largest single activation tensor (inputs and outputs included): the floor for running layer by layer. */
  largestTensorBytes: number;
  /**
   * The planner's goal (--optimize), the instructions its in-place copies add by its estimate,
   * the model's instructions by the same estimate (one per MAC), and what each goal gives.
   */
  optimize: {
    goal: OptimizeGoal;
    extraInstructions: number;
    estimatedInstructions: number;
    goals: Record<OptimizeGoal, { arenaBytes: number; modelRamBytes: number; extraInstructions: number }>;
  };
  /** Where inputs and outputs live: 'caller' (buffers passed to <name>_run) or 'arena'. */
  io: 'caller' | 'arena';
  /** Bytes of the input and output buffers the caller keeps ('caller' io; 0 with 'arena'). */
  apiBufferBytes: number;
  /**
   * The RAM the model needs while it runs, known at compile time: the arena plus the caller's
   * input and output buffers (the measure to set beside TFLM's arena, which holds its tensors).
   */
  modelRamBytes: number;
  weightBytes: number;
  /** Weights + code; null when not measured on a board. */
  flashBytes: number | null;
  /** Model RAM + stack + static data; null when not measured on a board. */
  ramBytes: number | null;
  flash: { weightBytes: number; codeBytes: number | null };
  ram: { arenaBytes: number; apiBufferBytes: number; stackBytes: number | null; staticDataBytes: number | null };
  stack: StackUse | null;
  layers: LayerReport[];
  buffers: ArenaBuffer[];
}

const activationShapes = (graph: Graph, names: string[]) => names.filter((n) => n !== '' && !isConstant(graph, n)).map((n) => [...tensorOf(graph, n).shape]);

export function buildReport(compiled: Compiled, generated: GeneratedModel, measured?: FirmwareMeasurement): ModelReport {
  const { graph, plan } = compiled;
  const layers = graph.nodes.map((node, index): LayerReport => {
    const out = node.outputs[0]!;
    const where = plan.storage.get(out);
    return {
      index,
      node: node.name,
      op: node.op,
      inputShapes: activationShapes(graph, node.inputs),
      outputShapes: activationShapes(graph, node.outputs),
      macs: opDefinition(node.op).macs?.(node, graph) ?? 0,
      weightBytes: generated.layers[index]!.constantBytes,
      output: {
        storage: where?.kind ?? 'arena',
        offset: where?.kind === 'arena' ? where.offset : null,
        bytes: tensorBytes(tensorOf(graph, out)),
      },
      scratchBytes: plan.buffers.find((b) => b.scratchStep === index)?.bytes ?? 0,
      sharing: plan.aliasedSteps.has(index) ? 'view' : plan.inPlaceSteps.has(index) ? 'in place' : null,
      liveBytes: plan.liveBytes[index]!,
    };
  });
  const apiBufferBytes = generated.io === 'arena' ? 0 : [...generated.inputs, ...generated.outputs].reduce((s, t) => s + t.bytes, 0);
  const activations = [...graph.tensors.values()].filter((t) => !isConstant(graph, t.name));
  const largestTensorBytes = Math.max(0, ...activations.map((t) => tensorBytes(t)));
  const goals = Object.fromEntries(
    OPTIMIZE_GOALS.map((goal) => {
      // Each goal lowered from the imported graph, as compile --optimize <goal> would (its line
      // buffering and schedule differ too).
      const other = goal === plan.optimize ? plan : lower(compiled.imported, { rounding: compiled.rounding, io: compiled.io, optimize: goal }).plan;
      return [goal, { arenaBytes: other.arenaBytes, modelRamBytes: other.arenaBytes + apiBufferBytes, extraInstructions: other.extraInstructions }];
    }),
  ) as ModelReport['optimize']['goals'];
  const stackBytes = measured?.stack.bytes ?? null;
  const codeBytes = measured?.codeBytes ?? null;
  const staticDataBytes = measured?.staticDataBytes ?? null;
  return {
    tool: `tinygen ${TOOL_VERSION}`,
    model: compiled.modelPath,
    name: compiled.name,
    sha256: compiled.sha256,
    rounding: compiled.rounding,
    board: measured?.board ?? null,
    macs: layers.reduce((s, l) => s + l.macs, 0),
    arenaBytes: plan.arenaBytes,
    lowerBoundBytes: plan.lowerBoundBytes,
    noInPlaceBoundBytes: plan.noInPlaceBoundBytes,
    largestTensorBytes,
    optimize: { goal: plan.optimize, extraInstructions: plan.extraInstructions, estimatedInstructions: estimatedInstructions(graph), goals },
    io: generated.io,
    apiBufferBytes,
    modelRamBytes: plan.arenaBytes + apiBufferBytes,
    weightBytes: generated.constantBytes,
    flashBytes: codeBytes === null ? null : generated.constantBytes + codeBytes,
    ramBytes: stackBytes === null || staticDataBytes === null ? null : plan.arenaBytes + apiBufferBytes + stackBytes + staticDataBytes,
    flash: { weightBytes: generated.constantBytes, codeBytes },
    ram: { arenaBytes: plan.arenaBytes, apiBufferBytes, stackBytes, staticDataBytes },
    stack: measured?.stack ?? null,
    layers,
    buffers: plan.buffers,
  };
}
