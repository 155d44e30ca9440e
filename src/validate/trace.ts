/**
 * The first diverging layer: after validate finds a mismatch, the first input that mismatched is
 * run again through a -DTINYGEN_TRACE build of the same sources, on the host (gcc) and on the
 * board (QEMU). The model then hands every step's outputs to the harness, which writes them as
 * records [u32 step][u32 bytes][bytes]; each is compared with the reference interpreter's value
 * of that tensor, and the first step whose bytes differ is named. A divergence on the board only
 * points at a cross-compiled or ISA-specific kernel; on both, at the generated C or a portable
 * kernel. Tracing is diagnosis: when it fails, it says so and the mismatch verdict stands.
 */
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import type { Board } from '../boards/board.ts';
import type { Compiled } from '../pipeline.ts';
import type { GeneratedModel } from '../codegen/generate.ts';
import { dtypeBytes, tensorOf, type DType, type TensorData } from '../ir/graph.ts';
import { allocate } from '../ops/common/values.ts';
import type { Value } from '../ops/op.ts';
import { runReference } from '../reference/interpreter.ts';
import { buildHostModel } from './host-model.ts';
import { recordToValues, valuesToRecord } from './records.ts';
import { runOnBoard } from './run-on-board.ts';

export const TRACE_DEFINE = 'TINYGEN_TRACE';
const TRACE_FILE = 'trace.bin';

/** One traced output of one step, as the harness wrote it. */
export interface TraceRecord {
  step: number;
  bytes: Uint8Array;
}

/** The first layer whose output bytes differ from the reference's. */
export interface LayerDivergence {
  step: number;
  node: string;
  op: string;
  tensor: string;
  dtype: DType;
  /** The tensor's shape as tinygen computes it (4-D activations NHWC). */
  shape: number[];
  bytes: number;
  differingBytes: number;
  /** The largest difference between an element's actual and expected value, in the dtype's units (signed for int8 and int32; ULPs for float32). */
  maxLsb: number;
  /** The first differing element: its index, and the two values. */
  first: { element: number; expected: number; actual: number };
}

/** One side's result: the first diverging layer, none (every traced layer matches), or why tracing failed. */
export interface TraceSide {
  /** Layer outputs compared. */
  layersCompared: number;
  divergence?: LayerDivergence;
  error?: string;
}

export interface FirstDivergence {
  /** The input record traced: the first that mismatched. */
  input: number;
  host: TraceSide;
  board: TraceSide;
}

/** Parses a trace file; a record cut short is an error. */
export function parseTrace(bytes: Uint8Array): TraceRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: TraceRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 8 > bytes.length) throw new Error(`trace ends inside a record header at byte ${offset}`);
    const step = view.getUint32(offset, true);
    const size = view.getUint32(offset + 4, true);
    offset += 8;
    if (offset + size > bytes.length) throw new Error(`trace ends inside step ${step}'s ${size} bytes`);
    records.push({ step, bytes: bytes.subarray(offset, offset + size) });
    offset += size;
  }
  return records;
}

/** Element values to compare in the dtype's units: float32 bits as a monotonic integer line, so a difference counts ULPs. */
function comparable(data: TensorData): ArrayLike<number | bigint> {
  if (!(data instanceof Float32Array)) return data;
  const bits = new Int32Array(data.buffer, data.byteOffset, data.length);
  return Array.from(bits, (b) => (b < 0 ? -0x80000000 - b : b));
}

/** The C's bytes of a traced tensor as typed values. */
function decode(dtype: DType, bytes: Uint8Array): TensorData {
  const data = allocate(dtype, bytes.length / dtypeBytes(dtype));
  new Uint8Array(data.buffer).set(bytes);
  return data;
}

/**
 * Compares a trace with the reference's values, step by step in the order the C ran them, and
 * returns the first layer that differs. `traced` says what the build traces (GeneratedModel.traced):
 * a trace of other steps or sizes is an error.
 */
export function compareTrace(
  graph: Compiled['graph'],
  traced: GeneratedModel['traced'],
  values: ReadonlyMap<string, Value>,
  trace: readonly TraceRecord[],
): { layersCompared: number; divergence?: LayerDivergence } {
  if (trace.length !== traced.length) throw new Error(`the trace holds ${trace.length} layer outputs, expected ${traced.length}`);
  for (let i = 0; i < traced.length; i++) {
    const want = traced[i]!;
    const got = trace[i]!;
    if (got.step !== want.step || got.bytes.length !== want.bytes) {
      throw new Error(`trace record ${i} is step ${got.step} with ${got.bytes.length} bytes, expected step ${want.step} with ${want.bytes}`);
    }
    const value = values.get(want.tensor);
    if (!value) throw new Error(`internal: the reference has no value for tensor '${want.tensor}'`);
    const expected = valuesToRecord([value]);
    if (expected.length !== want.bytes) throw new Error(`internal: the reference's '${want.tensor}' has ${expected.length} bytes, the C's ${want.bytes}`);
    let differingBytes = 0;
    for (let b = 0; b < expected.length; b++) if (expected[b] !== got.bytes[b]) differingBytes++;
    if (differingBytes === 0) continue;
    const node = graph.nodes[want.step]!;
    const dtype = tensorOf(graph, want.tensor).dtype;
    const e = comparable(value.data);
    const a = comparable(decode(dtype, got.bytes));
    let maxLsb = 0;
    let first: LayerDivergence['first'] | undefined;
    for (let k = 0; k < e.length; k++) {
      if (e[k] === a[k]) continue;
      const diff = Math.abs(Number(a[k]!) - Number(e[k]!));
      if (diff > maxLsb) maxLsb = diff;
      first ??= { element: k, expected: Number(e[k]!), actual: Number(a[k]!) };
    }
    return {
      layersCompared: i + 1,
      divergence: {
        step: want.step,
        node: node.name,
        op: node.op,
        tensor: want.tensor,
        dtype,
        shape: [...value.shape],
        bytes: want.bytes,
        differingBytes,
        maxLsb,
        first: first ?? { element: 0, expected: 0, actual: 0 },
      },
    };
  }
  return { layersCompared: traced.length };
}

export interface TraceOptions {
  compiled: Compiled;
  generated: GeneratedModel;
  board: Board;
  /** The input record to trace, and its index among the inputs. */
  record: Uint8Array;
  input: number;
  /** Receives trace-host/ and trace-board/. */
  workDir: string;
  timeoutMs: number;
  mutateSources?: (files: Map<string, string>) => void;
  /** The board build's extra compiler flags (ValidateOptions.cflags); the host build keeps its own. */
  cflags?: string[];
}

/** The reference's value of every tensor for one input record. */
export function referenceValues(compiled: Compiled, record: Uint8Array): Map<string, Value> {
  return runReference(compiled.graph, recordToValues(compiled.graph, compiled.graph.inputs, record)).values;
}

/** The host C (gcc, sanitizers on) built with TINYGEN_TRACE, run on one record: its trace against the reference. */
export async function traceOnHost(options: Omit<TraceOptions, 'board' | 'timeoutMs'>, values = referenceValues(options.compiled, options.record)): Promise<TraceSide> {
  const { compiled, generated } = options;
  const dir = join(options.workDir, 'trace-host');
  const model = await buildHostModel(compiled, {
    generated,
    defines: [TRACE_DEFINE],
    dir,
    ...(options.mutateSources ? { mutateSources: options.mutateSources } : {}),
  });
  const tracePath = join(dir, TRACE_FILE);
  rmSync(tracePath, { force: true });
  await model.run(options.record, [tracePath]);
  return compareTrace(compiled.graph, generated.traced, values, parseTrace(new Uint8Array(readFileSync(tracePath))));
}

/** The firmware built with TINYGEN_TRACE, run on one record under QEMU: its trace against the reference. */
export async function traceOnBoard(options: TraceOptions, values = referenceValues(options.compiled, options.record)): Promise<TraceSide> {
  const { compiled, generated } = options;
  const dir = join(options.workDir, 'trace-board');
  rmSync(join(dir, TRACE_FILE), { force: true });
  const run = await runOnBoard({
    name: compiled.name,
    generated,
    board: options.board,
    records: [options.record],
    workDir: dir,
    timeoutMs: options.timeoutMs,
    defines: { [TRACE_DEFINE]: '' },
    extraArgs: [TRACE_FILE],
    ...(options.mutateSources ? { mutateSources: options.mutateSources } : {}),
    ...(options.cflags ? { cflags: options.cflags } : {}),
  });
  if (run.failure) throw new Error(`the trace firmware failed: ${run.failure.message}`);
  return compareTrace(compiled.graph, generated.traced, values, parseTrace(new Uint8Array(readFileSync(join(dir, TRACE_FILE)))));
}

/** Traces one input on the host and on the board, both at once, and names each side's first diverging layer; a side that fails says why. */
export async function traceFirstDivergence(options: TraceOptions): Promise<FirstDivergence> {
  const values = referenceValues(options.compiled, options.record);
  const failed = (error: unknown): TraceSide => ({ layersCompared: 0, error: oneLine(error) });
  const [host, board] = await Promise.all([traceOnHost(options, values).catch(failed), traceOnBoard(options, values).catch(failed)]);
  return { input: options.input, host, board };
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const key = lines.slice(1).find((l) => /\berror\b/i.test(l));
  return [lines[0] ?? 'unknown error', ...(key ? [key] : [])].join(' ');
}

/** "step 3, QLinearConv 'conv2' [1x8x8x8] int8: 12 of 512 bytes differ, max 37 LSB (first: element 0, expected -5, actual 32)". */
export function describeDivergence(d: LayerDivergence): string {
  const unit = d.dtype === 'float32' ? 'ULP' : 'LSB';
  return (
    `step ${d.step}, ${d.op} '${d.node}' [${d.shape.join('x')}] ${d.dtype}: ${d.differingBytes} of ${d.bytes} bytes differ, ` +
    `max ${d.maxLsb} ${unit} (first: element ${d.first.element}, expected ${d.first.expected}, actual ${d.first.actual})`
  );
}

/** One line per side: "host: ..." and "board mps2-an386: ...". */
export function describeFirstDivergence(f: FirstDivergence, board: string): string[] {
  const side = (name: string, s: TraceSide) =>
    s.error !== undefined
      ? `${name}: tracing failed: ${s.error}`
      : s.divergence
        ? `${name}: first diverging layer: ${describeDivergence(s.divergence)}`
        : `${name}: every layer matches the reference (${s.layersCompared} layer outputs)`;
  return [`layer trace of input ${f.input}:`, `  ${side('host C', f.host)}`, `  ${side(`board ${board}`, f.board)}`];
}

/**
 * One clause for a failure message: "first diverging layer: step 3, QLinearConv 'conv2' (host and
 * board)", "... (board mps2-an386 only; the host C matches)", or why tracing failed.
 */
export function divergenceSummary(f: FirstDivergence, board: string): string {
  const { host, board: onBoard } = f;
  const name = (d: LayerDivergence) => `step ${d.step}, ${d.op} '${d.node}' [${d.shape.join('x')}], ${d.differingBytes} of ${d.bytes} bytes, max ${d.maxLsb} ${d.dtype === 'float32' ? 'ULP' : 'LSB'}`;
  const h = host.divergence;
  const b = onBoard.divergence;
  if (h && b) {
    return h.step === b.step && h.differingBytes === b.differingBytes && h.maxLsb === b.maxLsb
      ? `first diverging layer (host C and board): ${name(h)}`
      : `first diverging layer: host C ${name(h)}; board ${board} ${name(b)}`;
  }
  if (b) return `first diverging layer (board ${board} only${host.error === undefined ? '; the host C matches' : `; host trace failed: ${host.error}`}): ${name(b)}`;
  if (h) return `first diverging layer (host C${onBoard.error === undefined ? '; every layer matches on the board' : `; board trace failed: ${onBoard.error}`}): ${name(h)}`;
  if (host.error !== undefined && onBoard.error !== undefined) return `layer trace failed: ${onBoard.error}`;
  return `layer trace: every layer matches the reference${host.error !== undefined ? ` on the board (host trace failed: ${host.error})` : onBoard.error !== undefined ? ` on the host (board trace failed: ${onBoard.error})` : ''}`;
}
