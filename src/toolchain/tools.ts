/**
 * The external tools tinygen drives, and a check that they are installed.
 */
import { execa } from 'execa';
import { UserError } from '../errors.ts';

export const GCC = 'arm-none-eabi-gcc';
export const SIZE = 'arm-none-eabi-size';
export const READELF = 'arm-none-eabi-readelf';
export const QEMU = 'qemu-system-arm';

export type Tool = 'gcc' | 'qemu';

const checked = new Map<Tool, Promise<void>>();

/**
 * Throws a UserError naming the Debian/Ubuntu packages to install when arm-none-eabi-gcc (with
 * newlib's rdimon) or qemu-system-arm is missing. Each tool is checked once per process.
 */
export function checkTools(tools: readonly Tool[] = ['gcc', 'qemu']): Promise<void> {
  return Promise.all(
    tools.map((tool) => {
      let promise = checked.get(tool);
      if (!promise) {
        promise = tool === 'gcc' ? checkGcc() : checkQemu();
        checked.set(tool, promise);
        promise.catch(() => checked.delete(tool));
      }
      return promise;
    }),
  ).then(() => undefined);
}

async function found(command: string, args: string[]): Promise<string | undefined> {
  const result = await execa(command, args, { reject: false, stdin: 'ignore' });
  return result.failed || result.exitCode !== 0 ? undefined : result.stdout;
}

async function checkGcc(): Promise<void> {
  const install = 'install it with: sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi';
  if ((await found(GCC, ['--version'])) === undefined) throw new UserError(`${GCC} was not found on PATH: ${install}`);
  // Without newlib, gcc prints the bare name back instead of a path.
  const specs = await found(GCC, ['-print-file-name=rdimon.specs']);
  if (specs === undefined || specs.trim() === 'rdimon.specs') {
    throw new UserError(`${GCC} has no newlib (rdimon.specs not found): install it with: sudo apt-get install libnewlib-arm-none-eabi`);
  }
  for (const tool of [SIZE, READELF]) {
    if ((await found(tool, ['--version'])) === undefined) {
      throw new UserError(`${tool} was not found on PATH: install it with: sudo apt-get install binutils-arm-none-eabi`);
    }
  }
}

async function checkQemu(): Promise<void> {
  if ((await found(QEMU, ['--version'])) === undefined) {
    throw new UserError(`${QEMU} was not found on PATH: install it with: sudo apt-get install qemu-system-arm`);
  }
}
