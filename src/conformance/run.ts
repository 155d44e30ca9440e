/**
 * The conformance run: each ONNX test folder through the reference interpreter and through the
 * host-compiled C, compared with the test's own expected outputs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import { UserError } from '../errors.ts';
import type { Tensor } from '../ir/graph.ts';
import { tensorOf } from '../ir/graph.ts';
import { compileModel, type Compiled } from '../pipeline.ts';
import { runReference } from '../reference/interpreter.ts';
import type { RoundingMode } from '../numerics/requantize.ts';
import type { Value } from '../ops/op.ts';
import { buildHostModel } from '../validate/host-model.ts';
import { recordToValues, valuesToRecord } from '../validate/records.ts';
import { isOnnxTestDir, readOnnxTestCase } from './onnx-test.ts';
import { readTflmTestCase, tfliteInputNames, tfliteModelOps, tflmCases } from './tflm-test.ts';
import { DISPUTED } from './disputed.ts';

export type Status = 'pass' | 'fail' | 'unsupported';

export interface ConformanceRow {
  suite: string;
  test: string;
  ops: string[];
  status: Status;
  /** Why it failed or is unsupported; for a pass, what was checked. */
  reason: string;
  /** Graph inputs bound as compile-time constants from the test data. */
  bound: string[];
}

/** ONNX's backend tests compare floats with numpy's assert_allclose(rtol=1e-3, atol=1e-7). */
const RTOL = 1e-3;
const ATOL = 1e-7;

function modelOps(modelPath: string): string[] {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(modelPath));
  return [...new Set((model.graph?.node ?? []).map((n) => (n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : (n.opType ?? ''))))];
}

/** The first difference between actual and expected values, or undefined when they agree. */
function difference(actual: Value, expected: Tensor, what: string): string | undefined {
  if (actual.dtype !== expected.dtype) return `${what}: type ${actual.dtype}, expected ${expected.dtype}`;
  const a = actual.data as ArrayLike<number>;
  const e = expected.data as ArrayLike<number>;
  if (a.length !== e.length) return `${what}: ${a.length} elements, expected ${e.length}`;
  for (let i = 0; i < a.length; i++) {
    const ok = actual.dtype === 'float32' ? Math.abs(a[i]! - e[i]!) <= ATOL + RTOL * Math.abs(e[i]!) || (Number.isNaN(a[i]) && Number.isNaN(e[i])) : a[i] === e[i];
    if (!ok) return `${what}: element ${i} is ${a[i]}, expected ${e[i]}`;
  }
  return undefined;
}

/**
 * The cases under a path: an ONNX test folder, a folder of TFLM cases (`<case>.tflite` with its
 * csv files; each case is named by its path prefix), or a folder of either kind of folder.
 */
export function testDirs(dir: string): string[] {
  if (isOnnxTestDir(dir)) return [dir];
  if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
  const tflm = tflmCases(dir);
  if (tflm.length > 0) return tflm;
  return readdirSync(dir)
    .sort()
    .map((d) => join(dir, d))
    .flatMap((d) => (isOnnxTestDir(d) ? [d] : tflmCases(d)));
}

/** A case as the runner sees it, whatever its format. */
interface LoadedCase {
  compiled: Compiled;
  /** Per data set: the runtime inputs and the expected outputs. */
  dataSets: { inputs: Value[]; outputs: Tensor[] }[];
}

interface CaseSource {
  row: Omit<ConformanceRow, 'status' | 'reason'>;
  /** Reasons name files relative to this folder, so the table does not depend on where it ran. */
  dir: string;
  /** Reads and compiles the case; a UserError makes it unsupported. */
  load(): LoadedCase;
}

function onnxCase(dir: string, rounding: RoundingMode): CaseSource {
  const row = { suite: basename(join(dir, '..')), test: basename(dir), ops: [] as string[], bound: [] as string[] };
  return {
    row,
    dir,
    load() {
      row.ops = modelOps(join(dir, 'model.onnx'));
      const test = readOnnxTestCase(dir);
      row.bound = [...test.bindings.keys()];
      const compiled = compileModel({ modelPath: test.modelPath, bindings: test.bindings, rounding, allowFloat: true });
      return { compiled, dataSets: test.dataSets.map((set) => ({ inputs: [{ dtype: set.input.dtype, shape: set.input.shape, data: set.input.data! }], outputs: set.outputs })) };
    },
  };
}

/**
 * A TFLM case runs in tflite rounding whatever the run's mode: its expected bytes are TFLM's. Its
 * int32 graph inputs are bound as compile-time constants (in these models they are shapes, such
 * as TRANSPOSE_CONV's output shape, which tinygen needs constant).
 */
function tflmCase(prefix: string): CaseSource {
  const row = { suite: basename(dirname(dirname(prefix))), test: basename(prefix), ops: [] as string[], bound: [] as string[] };
  return {
    row,
    dir: dirname(prefix),
    load() {
      row.ops = tfliteModelOps(`${prefix}.tflite`);
      const test = readTflmTestCase(prefix);
      const names = tfliteInputNames(test.modelPath);
      if (names.length !== test.inputs.length) throw new UserError(`${test.name}: the model has ${names.length} inputs, the case ${test.inputs.length}`);
      // The same binding as --bind: the values, converted to the input's own type by the loader.
      const bound = new Map(names.flatMap((name, k) => (test.inputs[k]!.dtype === 'int32' ? [[name, Array.from(test.inputs[k]!.data as Int32Array)] as const] : [])));
      row.bound = [...bound.keys()];
      const compiled = compileModel({ modelPath: test.modelPath, bound, rounding: 'tflite' });
      const inputs = test.inputs.filter((t) => t.dtype !== 'int32');
      // The csv files are flat; the API's shapes are the graph's.
      const shaped = inputs.map((t, k) => ({ dtype: t.dtype, shape: [...tensorOf(compiled.graph, compiled.graph.inputs[k]!).shape], data: t.data! }));
      return { compiled, dataSets: [{ inputs: shaped, outputs: [test.output] }] };
    },
  };
}

export async function runConformanceTest(dir: string, options: { rounding: RoundingMode; hostC: boolean }): Promise<ConformanceRow> {
  const row = await runOne(isOnnxTestDir(dir) ? onnxCase(dir, options.rounding) : tflmCase(dir), options.hostC);
  const dispute = DISPUTED[row.test];
  return row.status === 'fail' && dispute ? { ...row, reason: `${row.reason} (disputed test data: ${dispute})` } : row;
}

async function runOne(source: CaseSource, hostC: boolean): Promise<ConformanceRow> {
  const { row, dir } = source;
  let loaded: LoadedCase;
  try {
    loaded = source.load();
  } catch (err) {
    if (err instanceof UserError) return { ...row, status: 'unsupported', reason: err.message.split(`${dir}/`).join('').replace(/^model\.onnx: /, '') };
    return { ...row, status: 'fail', reason: `internal error: ${(err as Error).message}` };
  }
  const { compiled, dataSets } = loaded;
  try {
    for (const [s, set] of dataSets.entries()) {
      const outputs = runReference(compiled.graph, set.inputs).outputs;
      for (const [o, expected] of set.outputs.entries()) {
        const diff = outputs[o] ? difference(outputs[o]!, expected, `reference, data set ${s}, output ${o}`) : `reference: no output ${o}`;
        if (diff) return { ...row, status: 'fail', reason: diff };
      }
    }
  } catch (err) {
    return { ...row, status: 'fail', reason: `reference: ${(err as Error).message}` };
  }
  if (!hostC) return { ...row, status: 'pass', reason: 'reference' };
  try {
    const host = await buildHostModel(compiled);
    try {
      const produced = await host.run(Buffer.concat(dataSets.map((set) => valuesToRecord(set.inputs))));
      const recordSize = produced.length / dataSets.length;
      for (const [s, set] of dataSets.entries()) {
        const outputs = recordToValues(compiled.graph, compiled.graph.outputs, produced.subarray(s * recordSize, (s + 1) * recordSize));
        for (const [o, expected] of set.outputs.entries()) {
          const diff = difference(outputs[o]!, expected, `C, data set ${s}, output ${o}`);
          if (diff) return { ...row, status: 'fail', reason: diff };
        }
      }
    } finally {
      host.dispose();
    }
  } catch (err) {
    return { ...row, status: 'fail', reason: `C: ${(err as Error).message.split('\n')[0]}` };
  }
  return { ...row, status: 'pass', reason: 'reference and host C' };
}

export function summarize(rows: readonly ConformanceRow[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, unsupported: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function conformanceMarkdown(rows: readonly ConformanceRow[], rounding: RoundingMode): string {
  const counts = summarize(rows);
  const lines = [
    '# Conformance',
    '',
    `Generated by \`tinygen conformance\` (rounding ${rounding}): each ONNX test folder of ../shared/conformance through the`,
    'reference interpreter and the host-compiled C (gcc, ASan/UBSan), compared with the test\'s expected outputs: integers',
    'exactly, floats within ONNX\'s tolerance (rtol 1e-3, atol 1e-7). Graph inputs after the first are bound as compile-time',
    'constants from the test data (a compiler needs scales and weights constant); the table names them.',
    '',
    'The tflm-seanet rows are TFLM\'s SEANet integration tests (16x8: int16 activations, int8 weights), in tflite rounding',
    'whatever the run\'s mode, compared byte for byte with TFLM\'s own output (the `_tflm_` csv), not with the golden file made',
    'by desktop TensorFlow Lite. Their int32 graph inputs (output shapes) are bound as constants.',
    '',
    `**${rows.length} tests: ${counts.pass} pass, ${counts.fail} fail, ${counts.unsupported} unsupported.** A failure marked`,
    '"disputed test data" is a test whose expected output is itself wrong; its note gives the evidence.',
    '',
    '| suite | test | ops | result | detail | bound as constants |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.suite} | ${r.test} | ${r.ops.join(', ')} | ${r.status} | ${escapeCell(r.reason)} | ${r.bound.join(', ')} |`),
    '',
  ];
  return lines.join('\n');
}
