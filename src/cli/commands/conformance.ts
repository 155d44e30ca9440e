import { writeOutputFile } from '../../util/output-files.ts';
import { availableParallelism } from 'node:os';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { conformanceMarkdown, runConformanceTest, summarize, testDirs, type ConformanceRow } from '../../conformance/run.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../numerics/requantize.ts';
import { printJson } from '../output.ts';
import { DISPUTED } from '../../conformance/disputed.ts';
import { mapInParallel } from '../../toolchain/parallel.ts';

interface ConformanceArgs {
  dirs: string[];
  rounding: RoundingMode;
  c: boolean;
  markdown?: string;
  json: boolean;
  jobs: number;
}

export const conformanceCommand: CommandModule<object, ConformanceArgs> = {
  command: 'conformance <dirs..>',
  describe: "Run ONNX test folders (model.onnx + test_data_set_*) through the reference and the host-compiled C, and tabulate pass / fail / unsupported",
  builder: (yargs: Argv) =>
    yargs
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'test folders, or folders of them (e.g. ../shared/conformance/onnx-node)' })
      .option('rounding', { choices: ROUNDING_MODES, default: 'onnx' as RoundingMode, describe: 'requantization mode' })
      .option('c', { type: 'boolean', default: true, describe: 'also build and run the generated C on the host (--no-c: reference only)' })
      .option('markdown', { type: 'string', describe: 'write the table as Markdown to this file (e.g. docs/conformance.md)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' })
      .option('jobs', { alias: 'j', type: 'number', default: availableParallelism(), describe: 'tests run at once' })
      .example('$0 conformance ../shared/conformance/onnx-node ../shared/conformance/extra --markdown docs/conformance.md', '') as Argv<ConformanceArgs>,
  handler: async (args: ArgumentsCamelCase<ConformanceArgs>) => {
    const dirs = args.dirs.flatMap(testDirs);
    const tty = process.stderr.isTTY && !args.json;
    let done = 0;
    const rows: ConformanceRow[] = await mapInParallel(dirs, args.jobs, async (dir) => {
      const row = await runConformanceTest(dir, { rounding: args.rounding, hostC: args.c });
      done++;
      if (tty) process.stderr.write(`\r[${done}/${dirs.length}] ${row.test.padEnd(60).slice(0, 60)}`);
      return row;
    });
    if (tty) process.stderr.write('\n');
    if (args.markdown) {
      writeOutputFile(args.markdown, conformanceMarkdown(rows, args.rounding));
    }
    const counts = summarize(rows);
    const disputed = rows.filter((r) => r.status === 'fail' && r.test in DISPUTED).length;
    if (args.json) printJson({ counts, rows });
    else {
      for (const r of rows) console.log(`${r.status.padEnd(11)} ${r.test.padEnd(58)} ${r.ops.join(',').padEnd(24)} ${r.status === 'pass' ? '' : r.reason}`);
      console.log(`\n${rows.length} tests: ${counts.pass} pass, ${counts.fail} fail (${disputed} with disputed test data), ${counts.unsupported} unsupported`);
    }
    if (counts.fail > disputed) process.exitCode = 1;
  },
};
