/**
 * tinygen bench: executed instructions per inference on an emulated board. QEMU runs with
 * -icount shift=0, so each instruction takes 1 ns of virtual time and SysTick, clocked by the core,
 * counts 1e9 / clockHz instructions per tick (40 on a 25 MHz MPS2 board). Two builds run:
 * the firmware as it ships, for the total and the measured stack, and one with a hook after each
 * layer (-DTINYGEN_PROFILE), for the per-layer split. Both are checked against the reference,
 * since a fast wrong answer is not a result. Under -icount the same build gives the same counts.
 * With `against: 'cmsis-nn'` a third firmware runs each compute layer with CMSIS-NN's kernels on
 * the same shapes and quantization, read the same way (src/bench/yardstick); the model is then
 * compiled in tflite rounding, the arithmetic CMSIS-NN computes.
 */
import type { WeightsPlacement } from '../codegen/weights-blob.ts';
import type { BoundValues } from '../frontend/bindings.ts';
import type { IoPlacement, OptimizeGoal } from '../ops/op.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { loadBoard } from '../boards/board.ts';
import { checkFits } from '../boards/fits.ts';
import { compileModel, generate } from '../pipeline.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import { TOOL_VERSION } from '../version.ts';
import { runOnBoard, type BoardRun } from '../validate/run-on-board.ts';
import { compareOutputs } from '../validate/validate.ts';
import { randomRecords, referenceRecords } from '../validate/records.ts';
import { measureFirmware } from '../report/measure-firmware.ts';
import { allOrFirstFailure } from '../toolchain/parallel.ts';
import { buildReport, type ModelReport } from '../report/report.ts';
import { compareWithYardstick, measureYardstick, type AgainstReport, type Yardstick } from './yardstick/against.ts';
import { requireCmsisNn } from './yardstick/cmsis-nn-library.ts';

export interface BenchOptions {
  modelPath: string;
  board: string;
  rounding?: RoundingMode;
  /** Where the model's inputs and outputs live (default 'caller'). */
  io?: IoPlacement;
  /** What the memory planner favours (default 'balanced'). */
  optimize?: OptimizeGoal;
  /** Graph inputs bound to compile-time values (--bind). */
  bound?: BoundValues;
  /** Where the constants live (default 'embedded'; 'blob': the harness binds the blob before the first run). */
  weights?: WeightsPlacement;
  name?: string;
  /** Random inputs to run (the counts are per inference; the first is the headline). */
  inputs?: number;
  seed?: number;
  keepDir?: string;
  timeoutMs?: number;
  onProgress?: (stage: string) => void;
  /** Also measure each compute layer with this library's kernels and compare (tflite rounding only). */
  against?: Yardstick;
  /** Test seam: edits the generated sources of both builds (e.g. to add known work to one layer). */
  mutateSources?: (files: Map<string, string>) => void;
}

export interface LayerBench {
  index: number;
  node: string;
  op: string;
  macs: number;
  /** Instructions of this layer, including one profiling hook (see profileOverheadInstructions). */
  instructions: number;
  instructionsPerMac: number | null;
}

export interface BenchReport {
  tool: string;
  model: string;
  name: string;
  board: string;
  cpu: string;
  rounding: RoundingMode;
  /** Instructions per inference of the firmware as it ships (first input). */
  instructions: number;
  /** The same for every input run, in order. */
  instructionsPerInference: number[];
  macs: number;
  instructionsPerMac: number | null;
  /** Instructions per SysTick tick (1e9 / clockHz), and so the resolution of each reading. */
  instructionsPerTick: number;
  resolution: string;
  layers: LayerBench[];
  /** The profiled build's total minus the plain one's: what the per-layer hooks themselves cost. */
  profileOverheadInstructions: number;
  /** Stack bytes the inference used, measured by painting the stack before it. */
  measuredStackBytes: number;
  /** The model's flash and RAM, as `tinygen report --board` measures them. */
  flashBytes: number;
  ramBytes: number;
  arenaBytes: number;
  lowerBoundBytes: number;
  /** Whole firmware image (harness, C runtime and the board's stack and heap included). */
  image: { flashBytes: number; ramBytes: number };
  /** Every output byte of both runs equals the reference. */
  bitExact: boolean;
  /** Why a firmware run failed (crash, timeout, short output), if one did; the figures are then 0. */
  failure?: string;
  report: ModelReport;
  /** With `against`: the yardstick's per-layer figures beside tinygen's. */
  against?: AgainstReport;
}

export async function bench(options: BenchOptions): Promise<BenchReport> {
  const progress = options.onProgress ?? (() => {});
  const board = loadBoard(options.board);
  if (!board.qemu) throw new UserError(`board '${board.id}' has no QEMU machine, so it can be built for but not benchmarked`);
  const inputs = options.inputs ?? 1;
  if (!Number.isInteger(inputs) || inputs < 1) throw new UserError(`--inputs must be a positive whole number, not ${inputs}`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be a whole number, not ${seed}`);
  // CMSIS-NN computes TFLite's integer arithmetic; comparing it with onnx rounding would compare
  // two different computations.
  if (options.against && options.rounding === 'onnx') {
    throw new UserError(`--against ${options.against} compares in tflite rounding (CMSIS-NN computes TFLite's arithmetic); drop --rounding onnx`);
  }
  const cmsisRoot = options.against ? requireCmsisNn() : undefined;
  const rounding = options.rounding ?? (options.against ? 'tflite' : undefined);

  progress('compiling');
  // Against CMSIS-NN every layer runs on its own (no residual block row by row), so each has its counterpart.
  const compiled = compileModel({ modelPath: options.modelPath, rounding, name: options.name, io: options.io, weights: options.weights, optimize: options.optimize, ...(options.bound ? { bound: options.bound } : {}), ...(options.against ? { lineBuffer: false } : {}) });
  const generated = generate(compiled);
  checkFits(board, [generated], `model ${options.modelPath}`);
  const records = randomRecords(compiled.graph, inputs, seed);
  const expected = referenceRecords(compiled.graph, records);

  const workDir = options.keepDir ? resolve(options.keepDir) : mkdtempSync(join(tmpdir(), 'tinygen-bench-'));
  try {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const common = {
      name: compiled.name,
      generated,
      board,
      records,
      timeoutMs,
      icount: true,
      ...(options.mutateSources ? { mutateSources: options.mutateSources } : {}),
    };
    progress(`building and running on ${board.id} under QEMU -icount`);
    if (cmsisRoot) progress(`building CMSIS-NN's layers for ${board.id} (compiled once per CPU and cached)`);
    const [plain, profiled, measured, yardstick] = await allOrFirstFailure([
      runOnBoard({ ...common, workDir: join(workDir, 'plain'), defines: { TINYGEN_MEASURE_STACK: '' } }),
      runOnBoard({ ...common, workDir: join(workDir, 'profiled'), defines: { TINYGEN_PROFILE: '' } }),
      measureFirmware(compiled.name, generated, board, join(workDir, 'report')),
      cmsisRoot
        ? measureYardstick({ compiled, runs: generated.layers.map((l) => l.runs), board, cmsisRoot, seed, workDir: join(workDir, 'cmsis-nn'), timeoutMs })
        : Promise.resolve(undefined),
    ] as const);
    const failure = plain.failure ?? profiled.failure;
    const exact = (run: BoardRun) => compareOutputs(expected, run.outputs, generated.outputs).count === 0;
    const perTick = 1e9 / board.clockHz;
    const instructions = (ticks: number) => Math.round(ticks * perTick);
    const report = buildReport(compiled, generated, measured);

    const layerTicks = new Map((profiled.harness.layerTicks[0] ?? []).map((l) => [l.layer, l.ticks]));
    const layers = report.layers.map((l): LayerBench => {
      const ticks = layerTicks.get(l.index);
      // Every layer that runs code reports its end; a missing reading would be a silent 0.
      if (ticks === undefined && generated.layers[l.index]!.runs && !failure) throw new Error(`no timing for layer ${l.index} (${l.node}) in the profiled run`);
      const count = instructions(ticks ?? 0);
      return { index: l.index, node: l.node, op: l.op, macs: l.macs, instructions: count, instructionsPerMac: l.macs > 0 ? count / l.macs : null };
    });
    const total = instructions(plain.harness.ticks[0] ?? 0);
    const perMac = report.macs > 0 ? total / report.macs : null;
    return {
      tool: `tinygen ${TOOL_VERSION}`,
      model: options.modelPath,
      name: compiled.name,
      board: board.id,
      cpu: board.cpu,
      rounding: compiled.rounding,
      instructions: total,
      instructionsPerInference: plain.harness.ticks.map(instructions),
      macs: report.macs,
      instructionsPerMac: perMac,
      instructionsPerTick: perTick,
      resolution: `one SysTick tick = ${perTick} instructions: each figure is within ±${Math.ceil(perTick)} instructions`,
      layers,
      profileOverheadInstructions: instructions(profiled.harness.ticks[0] ?? 0) - total,
      measuredStackBytes: plain.harness.stackBytes[0] ?? 0,
      flashBytes: report.flashBytes!,
      ramBytes: report.ramBytes!,
      arenaBytes: report.arenaBytes,
      lowerBoundBytes: report.lowerBoundBytes,
      image: { flashBytes: plain.build.sizes.text + plain.build.sizes.data, ramBytes: plain.build.sizes.data + plain.build.sizes.bss },
      bitExact: !failure && exact(plain) && exact(profiled),
      ...(failure ? { failure: failure.message } : {}),
      report,
      ...(yardstick && cmsisRoot ? { against: compareWithYardstick(layers, yardstick, board, cmsisRoot, perTick, report.flash.codeBytes) } : {}),
    };
  } finally {
    if (!options.keepDir) rmSync(workDir, { recursive: true, force: true });
  }
}

