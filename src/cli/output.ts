/** Terminal output helpers shared by the commands. */

/** Progress lines go to stderr, and only on a terminal, so stdout stays clean for --json and pipes. */
/** A long command's progress on stderr: a line per stage, and a live count of inferences. */
export interface Progress {
  (stage: string): void;
  /** On a terminal: "37/100 inferences, ETA 4 s" on one line, rewritten as the count moves. */
  inferences(done: number, total: number): void;
}

/**
 * Stage lines on a terminal; also when stderr is piped if `piped` (a CI log then shows one line per
 * stage, and no counter).
 */
export function progressReporter(enabled: boolean, piped = false): Progress {
  const tty = process.stderr.isTTY === true;
  const show = enabled && (tty || piped);
  let counter = false;
  let started = performance.now();
  let shown = 0;
  const clearCounter = () => {
    if (counter) process.stderr.write('\r\x1b[2K');
    counter = false;
  };
  const progress = ((stage: string) => {
    if (!show) return;
    clearCounter();
    started = performance.now();
    process.stderr.write(`tinygen: ${stage}...\n`);
  }) as Progress;
  progress.inferences = (done, total) => {
    if (!show || !tty) return;
    const now = performance.now();
    if (done >= total) return clearCounter();
    if (now - shown < 100) return;
    shown = now;
    const eta = done > 0 ? Math.ceil(((now - started) / done) * (total - done) / 1000) : undefined;
    process.stderr.write(`\r\x1b[2K  ${done}/${total} inferences${eta === undefined ? '' : `, ETA ${eta} s`}`);
    counter = true;
  };
  return progress;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatBytes(n: number): string {
  return n >= 1024 ? `${n} B (${(n / 1024).toFixed(1)} KiB)` : `${n} B`;
}

/** The --optimize option's help, shared by the commands that compile. */
export const BIND_OPTION = {
  type: 'string',
  array: true,
  describe: 'bind a graph input to a value at compile time: NAME=v1,v2,... in its own type and shape, which makes it a constant (e.g. the int32 output shape of TFLite TRANSPOSE_CONV tests); repeatable',
} as const;

export const OPTIMIZE_OPTION_TEXT =
  "what the memory planner favours where a convolution can run in place over an input of another size (its kernel then copies each output byte once more) or layers can run row by row as one step: balanced (the default: least RAM while those copies stay within 5% of the model's estimated instructions), ram (least RAM) or time (every layer apart, no such copies)";

/** The --arena option's help, shared by the commands that compile. */
export const ARENA_OPTION_TEXT =
  'where the arena lives: static (the default: one array inside <name>.c) or external (the caller passes it to every call, <NAME>_ARENA_BYTES long, so models that never run at once can share one)';

/** The --weights option's help. */
export const WEIGHTS_OPTION_TEXT =
  "where the constants live: embedded (the default: const arrays in <name>.c) or blob (a separate file, <name>.weights.bin, with a checked header, that firmware binds at run time with <name>_bind_weights, so the weights can be updated without reflashing the code)";

/** The --io option's help, shared by the commands that compile. */
export const IO_OPTION_TEXT =
  'where inputs and outputs live: caller (the default: buffers the caller passes to <name>_run) or arena (in the arena, through <name>_input(i) and <name>_output(i); the planner reuses an input once consumed, so the model needs less RAM)';
