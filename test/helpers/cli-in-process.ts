/**
 * Runs the tinygen command line in this process (fast: no new Node and bundle load per call),
 * capturing its output: the same main(), exit code and stdout/stderr bytes as `tinygen` itself.
 * Tests of the process as such (the launcher, a real exit status) use ./cli.ts instead.
 */
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
  // As under a spawn with piped output: no terminal, so no progress lines on stderr.
  const streams = [process.stdout, process.stderr];
  const isTTY = streams.map((s) => Object.getOwnPropertyDescriptor(s, 'isTTY'));
  for (const s of streams) Object.defineProperty(s, 'isTTY', { value: false, configurable: true, writable: true });
  try {
    const exitCode = await main(args);
    return { exitCode, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const s of spies) s.mockRestore();
    streams.forEach((s, i) => {
      if (isTTY[i]) Object.defineProperty(s, 'isTTY', isTTY[i]);
      else delete (s as { isTTY?: boolean }).isTTY;
    });
    process.exitCode = 0;
    // main() adds an EPIPE listener to stdout on every call.
    process.stdout.removeAllListeners('error');
  }
}
