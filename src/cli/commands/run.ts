import { readFileSync } from 'node:fs';
import { writeOutputFile } from '../../util/output-files.ts';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '../../errors.ts';
import { compileModel } from '../../pipeline.ts';
import { runReference } from '../../reference/interpreter.ts';
import { dumpIntermediates } from '../../reference/dump.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { readTensorProtoBytes } from '../../frontend/onnx/tensor-proto.ts';
import { apiInputs } from '../../codegen/api.ts';
import type { Value } from '../../ops/op.ts';
import { readRecordFile, recordBytes, recordToValues, valuesToRecord } from '../../validate/records.ts';
import { BIND_OPTION, printJson } from '../output.ts';
import { parseBindings } from '../../frontend/bindings.ts';

interface RunArgs {
  model: string;
  input: string;
  output?: string;
  rounding?: RoundingMode;
  bind?: string[];
  json: boolean;
  dump?: string;
}

/** Input records from a raw file, or one input tensor from an ONNX TensorProto .pb file. */
function readInputs(path: string, size: number): Uint8Array[] {
  if (!path.endsWith('.pb')) return readRecordFile(path, size);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const data = readTensorProtoBytes(bytes, path).data!;
  return [new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <model>',
  describe: "Run the reference interpreter (tinygen's specification of the model's integer arithmetic) on input records",
  builder: (yargs: Argv) =>
    yargs
      .positional('model', { type: 'string', demandOption: true, describe: 'the model: ONNX (.onnx) or TFLite (.tflite)' })
      .option('input', {
        alias: 'i',
        type: 'string',
        demandOption: true,
        describe: 'raw input bytes: one or more records, each every input tensor in order, in its own type and layout; or an ONNX TensorProto .pb',
      })
      .option('output', { alias: 'o', type: 'string', describe: 'also write the raw output records to this file' })
      .option('rounding', { choices: ROUNDING_MODES, describe: 'requantization mode (default: tflite for TFLite models, onnx for ONNX)' })
      .option('bind', BIND_OPTION)
      .option('json', { type: 'boolean', default: false, describe: 'print outputs as JSON' })
      .option('dump', {
        type: 'string',
        describe: 'write every intermediate tensor to this folder (one subfolder per record: raw bytes per layer output and index.json), to compare with another runtime layer by layer',
      }) as Argv<RunArgs>,
  handler: (args: ArgumentsCamelCase<RunArgs>) => {
    const compiled = compileModel({ modelPath: args.model, rounding: args.rounding, bound: parseBindings(args.bind) });
    const graph = compiled.graph;
    const records = readInputs(args.input, recordBytes(apiInputs(graph)));
    const runs = records.map((record) => runReference(graph, recordToValues(graph, graph.inputs, record)));
    const results = runs.map((run) => run.outputs);
    if (args.dump) {
      for (const [r, run] of runs.entries()) {
        const dir = join(args.dump, String(r));
        for (const [file, bytes] of dumpIntermediates(graph, run.values)) writeOutputFile(join(dir, file), bytes);
      }
    }
    if (args.output) writeOutputFile(args.output, Buffer.concat(results.map((r) => valuesToRecord(r))));
    const asJson = results.map((outputs) =>
      outputs.map((v: Value, i) => ({ name: graph.outputs[i], dtype: v.dtype, shape: v.shape, data: Array.from(v.data as ArrayLike<number>) })),
    );
    if (args.json) return printJson(asJson);
    asJson.forEach((outputs, r) => {
      for (const o of outputs) console.log(`${records.length > 1 ? `record ${r} ` : ''}${o.name} ${o.dtype} [${o.shape.join(', ')}]: ${o.data.join(' ')}`);
    });
  },
};
