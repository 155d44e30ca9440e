import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { PACKAGE_ROOT } from '../../version.ts';
import { validate } from '../../validate/validate.ts';
import { compileCommand } from './compile.ts';
import { printValidateReport } from './validate.ts';
import { progressReporter } from '../output.ts';

interface DemoArgs {
  out: string;
  board: string;
  inputs: number;
}

export const DEMO_MODEL = join(PACKAGE_ROOT, 'examples', 'demo_cnn.onnx');

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'The whole path on the bundled example CNN: compile to C, build firmware, run under QEMU, compare with the reference',
  builder: (yargs: Argv) =>
    yargs
      .option('out', { alias: 'o', type: 'string', default: 'tinygen-demo', describe: 'where the generated C goes' })
      .option('board', { alias: 'b', type: 'string', default: 'mps2-an386', describe: 'board to run on' })
      .option('inputs', { alias: 'n', type: 'number', default: 20, describe: 'random inputs to compare' }) as Argv<DemoArgs>,
  handler: async (args: ArgumentsCamelCase<DemoArgs>) => {
    console.log(`1. compile ${DEMO_MODEL}`);
    await compileCommand.handler({ ...args, _: [], $0: args.$0, models: [DEMO_MODEL], out: args.out, name: 'demo', rounding: 'onnx', io: 'caller', arena: 'static', weights: 'embedded', optimize: 'balanced', measure: true, json: false });
    console.log(`\n2. validate on ${args.board}: build firmware, run ${args.inputs} inputs under QEMU, compare every byte`);
    const progress = progressReporter(true, true);
    const report = await validate({ modelPath: DEMO_MODEL, board: args.board, inputs: args.inputs, name: 'demo', onProgress: progress, onInference: progress.inferences });
    printValidateReport(report);
    if (!report.passed) process.exitCode = 1;
  },
};
