import { readFileSync, rmSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { writeOutputFile } from '../../util/output-files.ts';
import { IO_PLACEMENTS, OPTIMIZE_GOALS, type IoPlacement, type OptimizeGoal } from '../../ops/op.ts';
import { parseBindings } from '../../frontend/bindings.ts';
import { ARENA_OPTION_TEXT, BIND_OPTION, IO_OPTION_TEXT, OPTIMIZE_OPTION_TEXT, WEIGHTS_OPTION_TEXT } from '../output.ts';
import { ARENA_PLACEMENTS, type ArenaPlacement } from '../../codegen/api.ts';
import { WEIGHTS_PLACEMENTS, weightsBlobFile, type WeightsPlacement } from '../../codegen/weights-blob.ts';
import { basename, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileModel, defaultName, generate } from '../../pipeline.ts';
import { modelHeaderFile } from '../../codegen/generate.ts';
import { kernelFilesFor } from '../../toolchain/object-cache.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { formatBytes, printJson } from '../output.ts';
import { loadBoard } from '../../boards/board.ts';
import { checkFits, describeRegionUse } from '../../boards/fits.ts';
import { measureFirmware } from '../../report/measure-firmware.ts';
import { buildReport, type ModelReport } from '../../report/report.ts';
import { reportFiles } from '../../report/report-files.ts';

interface CompileArgs {
  models: string[];
  out: string;
  name?: string;
  rounding?: RoundingMode;
  io: IoPlacement;
  arena: ArenaPlacement;
  weights: WeightsPlacement;
  optimize: OptimizeGoal;
  bind?: string[];
  board?: string;
  measure: boolean;
  json: boolean;
}


export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile <models..>',
  describe: 'Compile ONNX or TFLite models into C: <name>.c and <name>.h for each plus one kernel library, ready to drop into a firmware project, with its report (<name>_report.md/.json) and memory timeline (<name>_memory.svg)',
  builder: (yargs: Argv) =>
    yargs
      .positional('models', { type: 'string', array: true, demandOption: true, describe: 'the model: ONNX (.onnx; int8 or uint8, QOperator or QDQ form) or TFLite (.tflite; int8); several share one kernel folder, for one firmware' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'output directory (created if missing)' })
      .option('name', { type: 'string', describe: 'C symbol prefix, e.g. kws gives kws_run() (default: the model file name; one model only)' })
      .option('rounding', { choices: ROUNDING_MODES, describe: 'requantization: onnx (ONNX Runtime, float32 half-even) or tflite (integer double rounding); default tflite for TFLite models, onnx for ONNX' })
      .option('io', { choices: IO_PLACEMENTS, default: 'caller' as IoPlacement, describe: IO_OPTION_TEXT })
      .option('arena', { choices: ARENA_PLACEMENTS, default: 'static' as ArenaPlacement, describe: ARENA_OPTION_TEXT })
      .option('weights', { choices: WEIGHTS_PLACEMENTS, default: 'embedded' as WeightsPlacement, describe: WEIGHTS_OPTION_TEXT })
      .option('optimize', { choices: OPTIMIZE_GOALS, default: 'balanced' as OptimizeGoal, describe: OPTIMIZE_OPTION_TEXT })
      .option('bind', BIND_OPTION)
      .option('board', { alias: 'b', type: 'string', describe: 'check that the model fits this board (id or .json) before writing anything, and measure code, stack and static data by a build for it' })
      .option('measure', { type: 'boolean', default: true, describe: 'with --board, build for it to measure code, stack and static data (needs arm-none-eabi-gcc); --no-measure only checks that the model fits' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' })
      .example('$0 compile model.onnx -o out/ --name kws', 'writes out/kws.c, out/kws.h and out/tinygen/')
      .example('$0 compile model.tflite -o out/ --name kws --io arena', 'kws_input(0) and kws_output(0) point into the arena; call kws_run()')
      .example('$0 compile kws.tflite -o out/ --weights blob', 'out/kws.weights.bin holds the weights; firmware binds it with kws_bind_weights(blob, size)')
      .example('$0 compile kws.tflite vww.tflite -o out/ --arena external', 'kws_run(arena, ...) and vww_run(arena, ...) share one buffer of the larger ARENA_BYTES')
      .example('$0 compile kws.tflite vww.tflite -o out/', 'kws.c/.h and vww.c/.h, one out/tinygen/ for both') as Argv<CompileArgs>,
  handler: async (args: ArgumentsCamelCase<CompileArgs>) => {
    const models = args.models;
    if (args.name !== undefined && models.length > 1) throw new UserError('--name names one model; with several, each takes the name of its file');
    // The names come from the arguments alone: two alike are refused before anything is compiled.
    const names = models.map((model) => args.name ?? defaultName(model));
    const clash = names.find((name, i) => names.indexOf(name) !== i);
    if (clash) throw new UserError(`two models would both be named '${clash}' (after their files): give them files of different names, or compile them apart with --name`);
    // Everything is generated in memory first, so a bad model leaves no partial output.
    const units = models.map((model) => {
      const compiled = compileModel({ modelPath: model, rounding: args.rounding, name: args.name, io: args.io, arena: args.arena, weights: args.weights, optimize: args.optimize, bound: parseBindings(args.bind) });
      return { model, compiled, generated: generate(compiled) };
    });
    const board = args.board ? loadBoard(args.board) : undefined;
    // Models in one firmware each keep their own arena: the board must hold them all.
    const fits = board ? checkFits(board, units.map((u) => u.generated), models.length === 1 ? `model ${models[0]}` : `models ${models.join(', ')}`) : undefined;
    // With a board, the report's code, stack and static data come from a real build for it (the models' builds side by side).
    const reports: ModelReport[] = await Promise.all(
      units.map(async ({ compiled, generated }) => buildReport(compiled, generated, board && args.measure ? await measureFirmware(compiled.name, generated, board) : undefined)),
    );
    const kernelDir = join(args.out, 'tinygen');
    const modelFiles: string[][] = units.map(() => []);
    const kernelFiles: string[] = [];
    const write = (path: string, data: string | Uint8Array, files: string[]) => {
      writeOutputFile(path, data);
      files.push(path);
    };
    try {
      for (const [i, { generated }] of units.entries()) {
        for (const [file, text] of [...generated.files, ...reportFiles(reports[i]!)]) write(join(args.out, file), text, modelFiles[i]!);
        if (generated.weightsBlob) write(join(args.out, weightsBlobFile(units[i]!.compiled.name)), generated.weightsBlob, modelFiles[i]!);
      }
      // One kernel folder for every model: the headers, and the sources any of them calls into.
      for (const source of kernelFilesFor(units.flatMap((u) => [...u.generated.files.values()]))) {
        write(join(kernelDir, basename(source)), readFileSync(source), kernelFiles);
      }
    } catch (error) {
      // A folder that fills up or turns read-only halfway keeps no half of the output.
      for (const file of [...modelFiles.flat(), ...kernelFiles]) rmSync(file, { force: true });
      throw error;
    }
    const summaries = units.map(({ model, compiled, generated }, i) => {
      const report = reports[i]!;
      return {
        model,
        name: compiled.name,
        rounding: compiled.rounding,
        io: compiled.io,
        sha256: compiled.sha256,
        arenaBytes: generated.arenaBytes,
        modelRamBytes: report.modelRamBytes,
        constantBytes: generated.constantBytes,
        lowerBoundBytes: report.lowerBoundBytes,
        flashBytes: report.flashBytes,
        ramBytes: report.ramBytes,
        inputs: generated.inputs,
        outputs: generated.outputs,
        files: [...modelFiles[i]!, ...(models.length === 1 ? kernelFiles : [])],
      };
    });
    const boardFields = fits ? { board: args.board, regions: fits } : {};
    // One model: its summary, as ever; several: each model's, with the shared kernel files apart.
    if (args.json) return printJson(models.length === 1 ? { ...summaries[0]!, ...boardFields } : { models: summaries, kernels: kernelFiles, ...boardFields });
    for (const [i, { model, compiled, generated }] of units.entries()) {
      const report = reports[i]!;
      console.log(`compiled ${model} -> ${args.out}`);
      if (compiled.io === 'arena') {
        console.log(`  functions: ${compiled.name}_input(i), ${compiled.name}_output(i) and int ${compiled.name}_run(void) in ${modelHeaderFile(compiled.name)} (inputs and outputs in the arena)`);
      } else {
        console.log(`  function:  int ${compiled.name}_run(...) in ${modelHeaderFile(compiled.name)}`);
      }
      console.log(`  arena:     ${formatBytes(generated.arenaBytes)} of RAM; model RAM ${formatBytes(report.modelRamBytes)} with the input and output buffers`);
      console.log(`  constants: ${formatBytes(generated.constantBytes)} of flash`);
      if (report.flashBytes !== null) {
        console.log(`  measured:  on ${report.board}: flash ${formatBytes(report.flashBytes)} with code ${report.flash.codeBytes} B; RAM ${formatBytes(report.ramBytes!)} with stack ${report.ram.stackBytes} B`);
      }
      console.log(`  report:    ${compiled.name}_report.md, ${compiled.name}_report.json, ${compiled.name}_memory.svg`);
    }
    console.log(`  kernels:   ${kernelDir}/ (compile its .c files with the model${models.length > 1 ? 's' : ''}; add it to the include path)`);
    for (const use of fits ?? []) {
      console.log(`  ${args.board} ${use.kind} ${use.region}: ${use.needed} of ${use.available} bytes before code: ${describeRegionUse(use, board!, models.length)}`);
    }
  },
};
