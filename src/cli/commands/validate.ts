import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { validate, type ValidateReport } from '../../validate/validate.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { formatBytes, printJson, progressReporter } from '../output.ts';

interface ValidateArgs {
  model: string;
  board: string;
  inputs: string;
  rounding: RoundingMode;
  seed: number;
  keep?: string;
  timeout: number;
  json: boolean;
}

export function printValidateReport(report: ValidateReport): void {
  const seconds = (report.wallMs / 1000).toFixed(2);
  console.log(`${report.passed ? 'PASS' : 'FAIL'} ${report.model} on ${report.board} (rounding ${report.rounding})`);
  console.log(`  inputs:         ${report.inputs}`);
  console.log(`  bytes compared: ${report.bytesCompared}`);
  console.log(`  mismatches:     ${report.mismatchCount}`);
  console.log(`  wall time:      ${seconds} s`);
  console.log(`  firmware:       flash ${formatBytes(report.firmware.flashBytes)}, RAM ${formatBytes(report.firmware.ramBytes)} (model arena ${formatBytes(report.firmware.arenaBytes)})`);
  if (report.failure) console.log(`  failure:        ${report.failure}`);
  for (const m of report.mismatches) {
    console.log(`  mismatch: input ${m.input}, output ${m.output}, byte ${m.byte}: expected ${m.expected}, actual ${m.actual}`);
  }
  if (report.mismatchCount > report.mismatches.length) console.log(`  ... and ${report.mismatchCount - report.mismatches.length} more`);
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <model>',
  describe: 'Compile, build firmware, run it under QEMU, and compare every output byte with the reference interpreter',
  builder: (yargs: Argv) =>
    yargs
      .positional('model', { type: 'string', demandOption: true, describe: 'the .onnx model' })
      .option('board', { alias: 'b', type: 'string', default: 'mps2-an386', describe: 'board id (see boards/) or path to a board .json' })
      .option('inputs', { alias: 'n', type: 'string', default: '10', describe: 'how many random inputs, or a file of raw input records' })
      .option('rounding', { choices: ROUNDING_MODES, default: 'onnx' as RoundingMode, describe: 'requantization mode' })
      .option('seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
      .option('keep', { type: 'string', describe: 'keep the build (sources, ELF, map, records) in this directory' })
      .option('timeout', { type: 'number', default: 120, describe: 'seconds before a hung firmware is killed' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .example('$0 validate model.onnx --board mps2-an386 --inputs 20', 'exit 0 only if every output byte matches') as Argv<ValidateArgs>,
  handler: async (args: ArgumentsCamelCase<ValidateArgs>) => {
    const inputs = /^\d+$/.test(args.inputs) ? Number(args.inputs) : args.inputs;
    const report = await validate({
      modelPath: args.model,
      board: args.board,
      inputs,
      rounding: args.rounding,
      seed: args.seed,
      keepDir: args.keep,
      timeoutMs: args.timeout * 1000,
      onProgress: progressReporter(!args.json),
    });
    if (args.json) printJson(report);
    else printValidateReport(report);
    if (!report.passed) process.exitCode = 1;
  },
};
