/**
 * The tinygen command line. A UserError (bad model, bad board, bad flag) prints one line and
 * exits 2; a failed validation exits 1; anything else is a tinygen bug and says so.
 */
import yargs from 'yargs';
import { UserError } from '../errors.ts';
import { TOOL_VERSION } from '../version.ts';
import { compileCommand } from './commands/compile.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { demoCommand } from './commands/demo.ts';
import { conformanceCommand } from './commands/conformance.ts';
import { boardsCommand } from './commands/boards.ts';
import { reportCommand } from './commands/report.ts';
import { benchCommand } from './commands/bench.ts';
import { disableObjectCache, objectCacheDir } from '../toolchain/object-cache.ts';

export const EXIT_USER_ERROR = 2;

export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  // `tinygen ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await yargs(argv)
      .scriptName('tinygen')
      .usage('$0 <command> [options]\n\nCompiles quantized ONNX and TFLite networks into static C for Arm Cortex-M and proves the firmware bit-exact under QEMU.')
      .command(compileCommand)
      .command(runCommand)
      .command(validateCommand)
      .command(reportCommand)
      .command(benchCommand)
      .command(demoCommand)
      .command(conformanceCommand)
      .command(boardsCommand)
      .option('cache', {
        type: 'boolean',
        default: true,
        global: true,
        describe: `reuse objects compiled before (the kernel library once per CPU and flags, a model's C once per generated text), kept in $TINYGEN_CACHE (default ${objectCacheDir()}); --no-cache compiles everything afresh`,
      })
      .middleware((args) => {
        if (args.cache === false) disableObjectCache();
      })
      .demandCommand(1, 'Give a command; see tinygen --help.')
      .strict()
      .version(TOOL_VERSION)
      .help()
      .alias('h', 'help')
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .fail((message, err, y) => {
        if (err) throw err;
        // A usage mistake: show the command's help, then the one-line error. Throwing stops yargs
        // from running the handler anyway.
        y.showHelp();
        throw new UserError(message);
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof UserError) {
      // Names from a model file may hold line breaks; the error stays one line.
      process.stderr.write(`tinygen: error: ${err.message.replace(/[\r\n]+/g, ' ')}\n`);
      return EXIT_USER_ERROR;
    }
    const message = err instanceof Error ? (process.env.TINYGEN_DEBUG ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(`tinygen: internal error (a bug in tinygen; set TINYGEN_DEBUG=1 for a stack trace): ${message}\n`);
    return 70;
  }
  return Number(process.exitCode ?? 0);
}
