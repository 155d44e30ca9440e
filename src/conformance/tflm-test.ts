/**
 * TFLM's integration-test cases (../shared/conformance/tflm-seanet): per case `<case>.tflite`,
 * `<case>_input<k>_<type>.csv` (one line of comma-separated integers per graph input, NHWC) and
 * `<case>_tflm_<type>.csv`, TFLM's exact output, which tinygen must equal byte for byte. The
 * `_golden_` file beside it comes from desktop TensorFlow Lite and is not compared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DType, Tensor } from '../ir/graph.ts';
import { allocate } from '../ops/common/values.ts';
import { UserError } from '../errors.ts';
import { TfliteModel, builtinOperatorName } from '../frontend/tflite/schema.ts';

export interface TflmTestCase {
  /** The case's path prefix: `<folder>/<case>`, to which `.tflite` and the csv suffixes are added. */
  prefix: string;
  name: string;
  modelPath: string;
  /** Graph inputs in order, as the csv files give them. */
  inputs: Tensor[];
  output: Tensor;
}

const CSV_TYPES: readonly DType[] = ['int8', 'int16', 'int32'];

/** The cases in a folder: every `<case>.tflite` with a `<case>_tflm_<type>.csv` beside it. */
export function tflmCases(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.tflite') && files.some((g) => g.startsWith(`${f.slice(0, -7)}_tflm_`)))
    .map((f) => f.slice(0, -7))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((c) => join(dir, c));
}

/** The builtin operators of the model's main subgraph, once each. */
export function tfliteModelOps(modelPath: string): string[] {
  const model = TfliteModel.fromBytes(readFileSync(modelPath));
  const codes = model.operatorCodes;
  return [...new Set((model.subgraphs[0]?.operators ?? []).map((o) => builtinOperatorName(codes[o.opcodeIndex]?.code ?? -1)))];
}

/** The names of the main subgraph's input tensors, in order (the names bindings use). */
export function tfliteInputNames(modelPath: string): string[] {
  const subgraph = TfliteModel.fromBytes(readFileSync(modelPath)).subgraphs[0];
  return (subgraph?.inputs ?? []).map((index) => subgraph!.tensors[index]?.name ?? '');
}

/** One csv file of one line of integers as a tensor of the type its name ends with. */
function readCsvTensor(file: string, name: string): Tensor {
  const dtype = CSV_TYPES.find((t) => file.endsWith(`_${t}.csv`));
  if (!dtype) throw new UserError(`${file}: the file name does not end in one of ${CSV_TYPES.map((t) => `_${t}.csv`).join(', ')}`);
  const values = readFileSync(file, 'utf8').trim().split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v))) throw new UserError(`${file}: not a line of comma-separated integers`);
  const data = allocate(dtype, values.length) as Int8Array | Int16Array | Int32Array;
  data.set(values);
  return { name, dtype, shape: [values.length], data };
}

function caseFile(prefix: string, infix: string): string | undefined {
  const dir = dirname(prefix);
  const start = `${basename(prefix)}_${infix}_`;
  const file = readdirSync(dir).find((f) => f.startsWith(start) && f.endsWith('.csv'));
  return file && join(dir, file);
}

export function readTflmTestCase(prefix: string): TflmTestCase {
  const inputs: Tensor[] = [];
  for (let k = 0; ; k++) {
    const file = caseFile(prefix, `input${k}`);
    if (!file) break;
    inputs.push(readCsvTensor(file, `input${k}`));
  }
  const expected = caseFile(prefix, 'tflm');
  if (!expected) throw new UserError(`${prefix}: no _tflm_ output file`);
  return { prefix, name: basename(prefix), modelPath: `${prefix}.tflite`, inputs, output: readCsvTensor(expected, 'output') };
}
