import { execa } from 'execa';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.ts';

/** Runs the real `tinygen` executable, as a user or CI would. */
export async function tinygen(args: string[], cwd?: string) {
  const result = await execa('node', [join(PACKAGE_ROOT, 'bin', 'tinygen.js'), ...args], { reject: false, cwd });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
