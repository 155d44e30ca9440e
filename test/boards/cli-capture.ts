/** Runs the tinygen command line in this process (fast: no new Node and tsx per call), capturing its output. */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export async function tinygenInProcess(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: unknown) => {
    into.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture(out) as typeof process.stdout.write),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture(err) as typeof process.stderr.write),
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.map(String).join(' ')}\n`)),
  ];
  try {
    const exitCode = await main(args);
    return { exitCode, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const s of spies) s.mockRestore();
    process.exitCode = 0;
    // main() adds an EPIPE listener to stdout on every call.
    process.stdout.removeAllListeners('error');
  }
}
