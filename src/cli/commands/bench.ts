import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { IO_PLACEMENTS, OPTIMIZE_GOALS, type IoPlacement, type OptimizeGoal } from '../../ops/op.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { bench } from '../../bench/bench.ts';
import { benchText } from '../../bench/format-bench.ts';
import { BIND_OPTION, printJson, progressReporter, IO_OPTION_TEXT, OPTIMIZE_OPTION_TEXT, WEIGHTS_OPTION_TEXT } from '../output.ts';
import { parseBindings } from '../../frontend/bindings.ts';
import { WEIGHTS_PLACEMENTS, type WeightsPlacement } from '../../codegen/weights-blob.ts';
import { YARDSTICKS, type Yardstick } from '../../bench/yardstick/against.ts';

interface BenchArgs {
  model: string;
  board: string;
  name?: string;
  rounding?: RoundingMode;
  io: IoPlacement;
  optimize: OptimizeGoal;
  bind?: string[];
  inputs: number;
  seed: number;
  json: boolean;
  keep?: string;
  timeout: number;
  against?: Yardstick;
  weights: WeightsPlacement;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench <model>',
  describe:
    'Count executed instructions per inference, in total and per layer, on an emulated board (QEMU -icount), with flash, RAM and measured stack; with --against cmsis-nn, beside CMSIS-NN\'s kernels layer by layer. Exit 0: figures printed; 1: the firmware (tinygen\'s or the yardstick\'s) crashed, hung or was not bit-exact; 2: bad input (also: --against cmsis-nn without ../shared/yardsticks/cmsis-nn)',
  builder: (yargs: Argv) =>
    yargs
      .positional('model', { type: 'string', demandOption: true, describe: 'the model: ONNX (.onnx) or TFLite (.tflite)' })
      .option('board', { alias: 'b', type: 'string', demandOption: true, describe: 'board id (see `tinygen boards list`) or .json; it needs a QEMU machine' })
      .option('name', { type: 'string', describe: 'C symbol prefix (default: the model file name)' })
      .option('rounding', { choices: ROUNDING_MODES, describe: 'requantization mode (default: tflite for TFLite models, onnx for ONNX)' })
      .option('inputs', { type: 'number', default: 1, describe: 'random inputs to run; the headline figure is the first' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
      .option('io', { choices: IO_PLACEMENTS, default: 'caller' as IoPlacement, describe: IO_OPTION_TEXT })
      .option('optimize', { choices: OPTIMIZE_GOALS, default: 'balanced' as OptimizeGoal, describe: OPTIMIZE_OPTION_TEXT })
      .option('bind', BIND_OPTION)
      .option('weights', { choices: WEIGHTS_PLACEMENTS, default: 'embedded' as WeightsPlacement, describe: WEIGHTS_OPTION_TEXT })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON: instructions, macs, instructionsPerMac, layers, flash and RAM (and with --against, the same figures in "against")' })
      .option('keep', { type: 'string', describe: 'keep the builds in this directory' })
      .option('timeout', { type: 'number', default: 300, describe: 'seconds before a QEMU run counts as hung' })
      .option('against', {
        choices: YARDSTICKS,
        describe:
          "also run each compute layer with CMSIS-NN's kernels (built from ../shared/yardsticks/cmsis-nn, -O3, cached; never linked into tinygen's output) on the same shapes and quantization, and print both per layer with the ratio tinygen / CMSIS-NN. Compares in tflite rounding: the default for every model, and --rounding onnx is refused. Layers with no CMSIS-NN equivalent are listed and left out of the total",
      })
      .example('$0 bench model.onnx --board mps2-an386', 'instructions per inference and per layer on a Cortex-M4F')
      .example('$0 bench model.onnx --board mps3-an547 --json', 'the same on a Cortex-M55, as JSON')
      .example('$0 bench kws.tflite --board mps2-an386 --against cmsis-nn', 'per layer, tinygen beside CMSIS-NN on a Cortex-M4F') as Argv<BenchArgs>,
  handler: async (args: ArgumentsCamelCase<BenchArgs>) => {
    const result = await bench({
      modelPath: args.model,
      board: args.board,
      rounding: args.rounding,
      io: args.io,
      optimize: args.optimize,
      bound: parseBindings(args.bind),
      weights: args.weights,
      inputs: args.inputs,
      seed: args.seed,
      ...(args.name ? { name: args.name } : {}),
      ...(args.keep ? { keepDir: args.keep } : {}),
      timeoutMs: args.timeout * 1000,
      ...(args.against ? { against: args.against } : {}),
      onProgress: progressReporter(!args.json),
    });
    if (args.json) printJson(result);
    else if (result.failure) console.log(`FAIL ${result.model} on ${result.board}: ${result.failure}`);
    else console.log(benchText(result));
    // Figures of a firmware that crashed, hung or computed the wrong bytes are not worth having:
    // fail like validate.
    if (!result.bitExact || result.against?.failure) process.exitCode = 1;
  },
};
