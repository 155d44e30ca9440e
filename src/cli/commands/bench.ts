import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { bench } from '../../bench/bench.ts';
import { benchText } from '../../bench/format-bench.ts';
import { printJson, progressReporter } from '../output.ts';

interface BenchArgs {
  model: string;
  board: string;
  name?: string;
  rounding?: RoundingMode;
  inputs: number;
  seed: number;
  json: boolean;
  keep?: string;
  timeout: number;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <model>',
  describe:
    'Count executed instructions per inference, in total and per layer, on an emulated board (QEMU -icount), with flash, RAM and measured stack. Exit 0: figures printed; 1: the firmware crashed, hung or was not bit-exact; 2: bad input',
  builder: (yargs: Argv) =>
    yargs
      .positional('model', { type: 'string', demandOption: true, describe: 'the model: ONNX (.onnx) or TFLite (.tflite)' })
      .option('board', { alias: 'b', type: 'string', demandOption: true, describe: 'board id (see `tinygen boards list`) or .json; it needs a QEMU machine' })
      .option('name', { type: 'string', describe: 'C symbol prefix (default: the model file name)' })
      .option('rounding', { choices: ROUNDING_MODES, describe: 'requantization mode (default: tflite for TFLite models, onnx for ONNX)' })
      .option('inputs', { type: 'number', default: 1, describe: 'random inputs to run; the headline figure is the first' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON: instructions, macs, instructionsPerMac, layers, flash and RAM' })
      .option('keep', { type: 'string', describe: 'keep the builds in this directory' })
      .option('timeout', { type: 'number', default: 300, describe: 'seconds before a QEMU run counts as hung' })
      .example('$0 bench model.onnx --board mps2-an386', 'instructions per inference and per layer on a Cortex-M4F')
      .example('$0 bench model.onnx --board mps3-an547 --json', 'the same on a Cortex-M55, as JSON') as Argv<BenchArgs>,
  handler: async (args: ArgumentsCamelCase<BenchArgs>) => {
    const result = await bench({
      modelPath: args.model,
      board: args.board,
      rounding: args.rounding,
      inputs: args.inputs,
      seed: args.seed,
      ...(args.name ? { name: args.name } : {}),
      ...(args.keep ? { keepDir: args.keep } : {}),
      timeoutMs: args.timeout * 1000,
      onProgress: progressReporter(!args.json),
    });
    if (args.json) printJson(result);
    else if (result.failure) console.log(`FAIL ${result.model} on ${result.board}: ${result.failure}`);
    else console.log(benchText(result));
    // Figures of a firmware that crashed, hung or computed the wrong bytes are not worth having:
    // fail like validate.
    if (!result.bitExact) process.exitCode = 1;
  },
};
