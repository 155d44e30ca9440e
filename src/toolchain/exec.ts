/**
 * execa, loaded on first use: importing it is about a sixth of tinygen's start-up, and commands
 * that run no tool (--version, --help, run, compile without --board) never need it.
 */
import type { Options, Result } from 'execa';

export async function execa<const O extends Options = object>(file: string, args: readonly string[], options?: O): Promise<Result<O>> {
  const { execa: run } = await import('execa');
  const result: unknown = await run(file, args, options);
  return result as Result<O>;
}
