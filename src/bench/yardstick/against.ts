/**
 * `tinygen bench --against cmsis-nn`: the yardstick's measurement, and its comparison with
 * tinygen's per-layer figures. Both sides are read the same way: a SysTick reading after each
 * layer under QEMU -icount shift=0, one profiling hook included in each layer's figure. Layers
 * with no CMSIS-NN equivalent are listed and left out of the totals and the ratio.
 */
import { join } from 'node:path';
import type { Board } from '../../boards/board.ts';
import type { Compiled } from '../../pipeline.ts';
import { tensorBytes, tensorOf } from '../../ir/graph.ts';
import { runReference } from '../../reference/interpreter.ts';
import { randomRecords, recordToValues, valuesToRecord } from '../../validate/records.ts';
import { planYardstick, type CmsisKernel, type LayerKind, type YardstickPlan } from './map-layers.ts';
import { recordLayout, runYardstick, type RecordLayout, type YardstickRun } from './firmware.ts';
import { CMSIS_NN_COMMIT, cmsisNnFlags } from './cmsis-nn-library.ts';

export const YARDSTICKS = ['cmsis-nn'] as const;
export type Yardstick = (typeof YARDSTICKS)[number];

export interface AgainstLayer {
  index: number;
  node: string;
  op: string;
  macs: number;
  /** Its CMSIS-NN kind and function; null for a layer with no yardstick. */
  kind: LayerKind | null;
  cmsisNnFunction: CmsisKernel | null;
  tinygenInstructions: number;
  cmsisNnInstructions: number | null;
  /** tinygen / CMSIS-NN. */
  ratio: number | null;
  /** CMSIS-NN's output bytes equal tinygen's reference interpreter's for this layer on the same input. */
  matchesReference: boolean | null;
  /** Why the layer has no yardstick. */
  noYardstick?: string;
}

export interface KindTotal {
  kind: LayerKind;
  layers: number;
  macs: number;
  tinygenInstructions: number;
  cmsisNnInstructions: number;
  ratio: number | null;
}

export interface AgainstReport {
  yardstick: Yardstick;
  /** The CMSIS-NN commit the mapping was written for, and where it was compiled from. */
  commit: string;
  source: string;
  /** CMSIS-NN's compiler flags (the board's CPU flags, -O3). */
  cflags: string[];
  /** CMSIS-NN computes TFLite's arithmetic; tinygen is compiled and measured in tflite rounding to match. */
  rounding: 'tflite';
  layers: AgainstLayer[];
  /** Over the layers with a yardstick only. */
  total: { layers: number; macs: number; tinygenInstructions: number; cmsisNnInstructions: number; ratio: number | null };
  byKind: KindTotal[];
  /** tinygen's instructions in the layers with no yardstick, left out of the total. */
  notComparedInstructions: number;
  /** Every mapped layer's CMSIS-NN output equals tinygen's reference (false when the firmware failed). */
  yardstickMatchesReference: boolean;
  /**
   * Bytes of code: tinygen's model (its run function, per-layer kernels and the library kernels it
   * links, all layers included) beside the CMSIS-NN functions the yardstick firmware links.
   */
  code: { tinygenBytes: number | null; cmsisNnBytes: number };
  /**
   * Why the yardstick failed, if it did: its firmware crashed, hung or was refused (the CMSIS-NN
   * figures are then null), or a layer's CMSIS-NN bytes differ from tinygen's reference (that
   * layer's figure is then null: it computes something else). Either is exit 1.
   */
  failure?: string;
}

/** Input and output records of one yardstick firmware at most (beside its code, stack and scratch). */
const RECORD_BUDGET_BYTES = 192 * 1024;

export interface YardstickMeasurement {
  plan: YardstickPlan;
  layout: RecordLayout;
  run: YardstickRun;
  /** Per mapped layer (in plan order): tinygen's reference output bytes for it. */
  expected: Uint8Array[];
}

/**
 * Runs the mapped layers with CMSIS-NN on the board, each on the activations tinygen's reference
 * interpreter computes for the model's first seeded input (the same input bench runs).
 */
export async function measureYardstick(options: {
  compiled: Compiled;
  runs: readonly boolean[];
  board: Board;
  cmsisRoot: string;
  seed: number;
  workDir: string;
  timeoutMs: number;
}): Promise<YardstickMeasurement> {
  const { compiled } = options;
  const graph = compiled.graph;
  const plan = planYardstick(graph, options.runs);
  const record = randomRecords(graph, 1, options.seed)[0]!;
  const { values } = runReference(graph, recordToValues(graph, graph.inputs, record));
  const bytesOf = (tensor: string): Uint8Array => {
    const value = values.get(tensor);
    if (!value) throw new Error(`internal: the reference computed no value for '${tensor}'`);
    return valuesToRecord([value]);
  };
  const sizeOf = (t: string) => tensorBytes(tensorOf(graph, t));
  // The records hold every mapped layer's input and output at once; a network whose records would
  // not fit beside the firmware in RAM (VWW on the M55's 512 KiB) runs as several firmwares, each
  // over consecutive layers. The figures are per layer, so the parts add up.
  const parts: (typeof plan.mapped)[] = [];
  let bytes = 0;
  for (const layer of plan.mapped) {
    const need = [...layer.inputs, layer.output].reduce((sum, t) => sum + sizeOf(t), 0);
    if (parts.length === 0 || bytes + need > RECORD_BUDGET_BYTES) {
      parts.push([]);
      bytes = 0;
    }
    parts[parts.length - 1]!.push(layer);
    bytes += need;
  }
  const slots: RecordLayout['slots'] = [];
  const layerTicks = new Map<number, number>();
  const cmsisNnFunctions = new Map<string, number>();
  const outputs: Uint8Array[] = [];
  let outputBase = 0;
  let inputBytes = 0;
  let failure: string | undefined;
  for (const [i, layers] of parts.entries()) {
    const layout = recordLayout(layers, sizeOf);
    inputBytes = Math.max(inputBytes, layout.inputBytes);
    const input = new Uint8Array(layout.inputBytes);
    for (const s of layout.slots) for (const slot of s.inputs) input.set(bytesOf(slot.tensor), slot.offset);
    const run = await runYardstick({
      board: options.board,
      cmsisRoot: options.cmsisRoot,
      model: compiled.modelPath,
      layers,
      layout,
      inputRecord: input,
      workDir: parts.length === 1 ? options.workDir : join(options.workDir, `part${i + 1}`),
      timeoutMs: options.timeoutMs,
    });
    failure ??= run.failure;
    run.layerTicks.forEach((ticks, layer) => layerTicks.set(layer, ticks));
    // A function linked into several parts counts once.
    run.cmsisNnFunctions.forEach((bytes, name) => cmsisNnFunctions.set(name, bytes));
    for (const s of layout.slots) slots.push({ inputs: s.inputs, output: { ...s.output, offset: s.output.offset + outputBase } });
    const part = new Uint8Array(layout.outputBytes);
    part.set(run.outputs.subarray(0, layout.outputBytes));
    outputs.push(part);
    outputBase += layout.outputBytes;
  }
  const merged = new Uint8Array(outputBase);
  outputs.reduce((offset, part) => (merged.set(part, offset), offset + part.length), 0);
  // With one part this is that firmware's own layout; with several, the input slots are each part's.
  const layout: RecordLayout = { slots, inputBytes, outputBytes: outputBase };
  const expected = slots.map((s) => bytesOf(s.output.tensor));
  return { plan, layout, run: { layerTicks, outputs: merged, cmsisNnFunctions, ...(failure ? { failure } : {}) }, expected };
}

const ratio = (a: number, b: number | null) => (b === null || b === 0 ? null : a / b);

/** Lines tinygen's per-layer figures up with CMSIS-NN's. */
export function compareWithYardstick(
  tinygenLayers: readonly { index: number; node: string; op: string; macs: number; instructions: number }[],
  measured: YardstickMeasurement,
  board: Board,
  cmsisRoot: string,
  perTick: number,
  tinygenCodeBytes: number | null,
): AgainstReport {
  const { plan, layout, run } = measured;
  const mapped = new Map(plan.mapped.map((l, i) => [l.index, { layer: l, slot: i }]));
  const unmapped = new Map(plan.unmapped.map((l) => [l.index, l.reason]));
  const layers = tinygenLayers.map((t): AgainstLayer => {
    const base = { index: t.index, node: t.node, op: t.op, macs: t.macs, tinygenInstructions: t.instructions };
    const m = mapped.get(t.index);
    if (!m) return { ...base, kind: null, cmsisNnFunction: null, cmsisNnInstructions: null, ratio: null, matchesReference: null, noYardstick: unmapped.get(t.index) ?? 'not mapped' };
    const ticks = run.failure ? undefined : run.layerTicks.get(t.index);
    if (ticks === undefined && !run.failure) throw new Error(`internal: no CMSIS-NN timing for layer ${t.index} (${t.node})`);
    const slot = layout.slots[m.slot]!.output;
    const got = run.failure ? undefined : run.outputs.subarray(slot.offset, slot.offset + slot.bytes);
    const want = measured.expected[m.slot]!;
    const matches = got === undefined ? null : got.length === want.length && got.every((b, i) => b === want[i]);
    // A layer whose bytes differ computes something else: an error of the mapping, not a figure.
    const cmsis = ticks === undefined || matches === false ? null : Math.round(ticks * perTick);
    return {
      ...base,
      kind: m.layer.kind,
      cmsisNnFunction: m.layer.call.kernel,
      cmsisNnInstructions: cmsis,
      ratio: ratio(t.instructions, cmsis),
      matchesReference: matches,
    };
  });
  const mismatched = layers.filter((l) => l.matchesReference === false);
  const mismatch =
    mismatched.length === 0
      ? undefined
      : `CMSIS-NN's output differs from tinygen's reference on ${mismatched.map((l) => `layer ${l.index} (${l.node}, ${l.cmsisNnFunction})`).join(', ')}: the yardstick does not compute what tinygen computes there, so it gives no figure for ${mismatched.length === 1 ? 'it' : 'them'}`;
  const failure = run.failure ?? mismatch;
  const compared = layers.filter((l) => l.cmsisNnInstructions !== null);
  const sum = (ls: readonly AgainstLayer[], f: (l: AgainstLayer) => number) => ls.reduce((s, l) => s + f(l), 0);
  const kinds = [...new Set(compared.map((l) => l.kind!))];
  const byKind = kinds.map((kind): KindTotal => {
    const ls = compared.filter((l) => l.kind === kind);
    const t = sum(ls, (l) => l.tinygenInstructions);
    const c = sum(ls, (l) => l.cmsisNnInstructions!);
    return { kind, layers: ls.length, macs: sum(ls, (l) => l.macs), tinygenInstructions: t, cmsisNnInstructions: c, ratio: ratio(t, c) };
  });
  const tinygenTotal = sum(compared, (l) => l.tinygenInstructions);
  const cmsisTotal = sum(compared, (l) => l.cmsisNnInstructions!);
  return {
    yardstick: 'cmsis-nn',
    commit: CMSIS_NN_COMMIT,
    source: cmsisRoot,
    cflags: cmsisNnFlags(board),
    rounding: 'tflite',
    layers,
    total: { layers: compared.length, macs: sum(compared, (l) => l.macs), tinygenInstructions: tinygenTotal, cmsisNnInstructions: cmsisTotal, ratio: ratio(tinygenTotal, compared.length ? cmsisTotal : null) },
    byKind,
    notComparedInstructions: sum(
      layers.filter((l) => l.cmsisNnInstructions === null),
      (l) => l.tinygenInstructions,
    ),
    yardstickMatchesReference: layers.every((l) => l.kind === null || l.matchesReference === true),
    code: { tinygenBytes: tinygenCodeBytes, cmsisNnBytes: [...run.cmsisNnFunctions.values()].reduce((a, b) => a + b, 0) },
    ...(failure ? { failure } : {}),
  };
}
