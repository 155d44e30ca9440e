/** Terminal output helpers shared by the commands. */

/** Progress lines go to stderr, and only on a terminal, so stdout stays clean for --json and pipes. */
export function progressReporter(enabled: boolean): (stage: string) => void {
  if (!enabled || !process.stderr.isTTY) return () => {};
  return (stage) => process.stderr.write(`tinygen: ${stage}...\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatBytes(n: number): string {
  return n >= 1024 ? `${n} B (${(n / 1024).toFixed(1)} KiB)` : `${n} B`;
}

/** The --optimize option's help, shared by the commands that compile. */
export const OPTIMIZE_OPTION_TEXT =
  "what the memory planner favours where a convolution can run in place over an input of another size (its kernel then copies each output byte once more) or layers can run row by row as one step: balanced (the default: least RAM while those copies stay within 5% of the model's estimated instructions), ram (least RAM) or time (every layer apart, no such copies)";

/** The --io option's help, shared by the commands that compile. */
export const ARENA_OPTION_TEXT =
  'where the arena lives: static (the default: one array inside <name>.c) or external (the caller passes it to every call, <NAME>_ARENA_BYTES long, so models that never run at once can share one)';
export const IO_OPTION_TEXT =
  'where inputs and outputs live: caller (the default: buffers the caller passes to <name>_run) or arena (in the arena, through <name>_input(i) and <name>_output(i); the planner reuses an input once consumed, so the model needs less RAM)';
