/**
 * The tinygen command line. A UserError (bad model, bad board, bad flag) prints one line and
 * exits 2; a failed validation exits 1; anything else is a tinygen bug and says so.
 */
import yargs, { type CommandModule } from 'yargs';
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
      .command([...COMMANDS])
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
      .fail((message, err) => {
        if (err) throw err;
        // A usage mistake: one line, with the nearest known flag or command for a misspelt one
        // (--help shows the rest). Throwing stops yargs from running the handler anyway.
        throw new UserError(withSuggestions(message));
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

/** The commands, in the order --help lists them (each has its own argument type: one array needs the cast). */
const COMMANDS: readonly CommandModule<object, never>[] = [compileCommand, runCommand, validateCommand, reportCommand, benchCommand, demoCommand, conformanceCommand, boardsCommand] as never;

/** The flags the commands declare, read by running their builders on a recorder of .option() calls. */
function declaredFlags(): string[] {
  const flags = new Set(['cache', 'help', 'version']);
  const recorder: unknown = new Proxy(
    {},
    {
      get: (_target, method) =>
        (...args: unknown[]) => {
          if (method === 'option' && typeof args[0] === 'string') flags.add(args[0]);
          return recorder;
        },
    },
  );
  for (const command of COMMANDS) if (typeof command.builder === 'function') (command.builder as (y: unknown) => unknown)(recorder);
  return [...flags];
}

/** "Unknown argument: optimise" -> "unknown argument: optimise (did you mean --optimize?)". */
function withSuggestions(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return message;
  const commandNames = COMMANDS.map((c) => String(c.command).split(' ')[0]!);
  const flags = declaredFlags();
  const words = unknown[1]!.split(', ');
  const described = words.map((word) => {
    const candidates = [...commandNames, ...flags.filter((f) => f.length > 1).map((f) => `--${f}`)];
    const bare = word.replace(/^-+/, '');
    const best = candidates
      .map((candidate) => ({ candidate, distance: editDistance(bare, candidate.replace(/^--/, '')) }))
      .sort((a, b) => a.distance - b.distance)[0];
    // Close enough to be a slip: one edit in three letters, and never for a word of one or two.
    return best && bare.length >= 3 && best.distance > 0 && best.distance <= Math.max(1, Math.floor(bare.length / 3)) ? `${word} (did you mean ${best.candidate}?)` : word;
  });
  return `${words.length > 1 ? 'unknown arguments' : 'unknown argument'}: ${described.join(', ')}; see tinygen --help`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
