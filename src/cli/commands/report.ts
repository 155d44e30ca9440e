import { existsSync } from 'node:fs';
import { writeOutputFile } from '../../util/output-files.ts';
import { IO_PLACEMENTS, OPTIMIZE_GOALS, type IoPlacement, type OptimizeGoal } from '../../ops/op.ts';
import { dirname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileModel, generate } from '../../pipeline.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { loadBoard } from '../../boards/board.ts';
import { checkFits } from '../../boards/fits.ts';
import { measureFirmware } from '../../report/measure-firmware.ts';
import { buildReport } from '../../report/report.ts';
import { reportMarkdown, reportText } from '../../report/format-report.ts';
import { memoryTimeline } from '../../report/report-files.ts';
import { UserError } from '../../errors.ts';
import { BIND_OPTION, printJson, progressReporter, IO_OPTION_TEXT, OPTIMIZE_OPTION_TEXT } from '../output.ts';
import { parseBindings } from '../../frontend/bindings.ts';

interface ReportArgs {
  model: string;
  board?: string;
  name?: string;
  rounding?: RoundingMode;
  io: IoPlacement;
  optimize: OptimizeGoal;
  bind?: string[];
  json: boolean;
  markdown: boolean;
  svg?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <model>',
  describe: 'Per-layer memory and compute report: shapes, MACs, weights, arena offsets, live bytes; flash and RAM totals (code and stack measured by a build for --board)',
  builder: (yargs: Argv) =>
    yargs
      .positional('model', { type: 'string', demandOption: true, describe: 'the model: ONNX (.onnx) or TFLite (.tflite)' })
      .option('board', {
        alias: 'b',
        type: 'string',
        describe: 'build for this board (id or .json) to measure code (arm-none-eabi-size), static data and stack (-fstack-usage call graph); without it, only what the compiler knows',
      })
      .option('name', { type: 'string', describe: 'C symbol prefix (default: the model file name)' })
      .option('rounding', { choices: ROUNDING_MODES, describe: 'requantization mode (default: tflite for TFLite models, onnx for ONNX)' })
      .option('io', { choices: IO_PLACEMENTS, default: 'caller' as IoPlacement, describe: IO_OPTION_TEXT })
      .option('optimize', { choices: OPTIMIZE_GOALS, default: 'balanced' as OptimizeGoal, describe: OPTIMIZE_OPTION_TEXT })
      .option('bind', BIND_OPTION)
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('markdown', { type: 'boolean', default: false, describe: 'print the report as Markdown' })
      .option('svg', { type: 'string', describe: 'also write the SVG memory timeline (which tensor holds which arena bytes at each step) to this file' })
      .example('$0 report model.onnx', 'the layer table, arena against its lower bound, weights')
      .example('$0 report model.onnx --board mps2-an386 --json', 'adds code, stack and static data measured on a real build') as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    if (args.json && args.markdown) throw new UserError('give --json or --markdown, not both');
    // Before the build, so a bad path does not cost one.
    if (args.svg && !existsSync(dirname(resolve(args.svg)))) throw new UserError(`--svg ${args.svg}: the folder ${dirname(resolve(args.svg))} does not exist`);
    const progress = progressReporter(!args.json && !args.markdown);
    const compiled = compileModel({ modelPath: args.model, rounding: args.rounding, name: args.name, io: args.io, optimize: args.optimize, bound: parseBindings(args.bind) });
    const generated = generate(compiled);
    let measured;
    if (args.board) {
      const board = loadBoard(args.board);
      checkFits(board, [generated], `model ${args.model}`);
      progress(`building for ${board.id} to measure code and stack`);
      measured = await measureFirmware(compiled.name, generated, board);
    }
    const report = buildReport(compiled, generated, measured);
    if (args.svg) writeOutputFile(args.svg, memoryTimeline(report));
    if (args.json) return printJson(report);
    console.log(args.markdown ? reportMarkdown(report) : reportText(report));
  },
};
