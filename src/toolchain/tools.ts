/**
 * The external tools tinygen drives, and a check that they are installed.
 */
import { execa } from './exec.ts';
import { UserError } from '../errors.ts';

export const GCC = 'arm-none-eabi-gcc';
export const SIZE = 'arm-none-eabi-size';
export const READELF = 'arm-none-eabi-readelf';
export const NM = 'arm-none-eabi-nm';
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

const versions = new Map<string, Promise<string | undefined>>();

/** `<command> --version`, run once per process: the kernel cache keys on the compiler's. */
export function toolVersion(command: string): Promise<string | undefined> {
  let version = versions.get(command);
  if (!version) {
    version = found(command, ['--version']);
    versions.set(command, version);
  }
  return version;
}

async function checkGcc(): Promise<void> {
  const install = 'install it with: sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi';
  // All at once: each is a process start, and every build waits for them.
  const [gcc, specs, size, readelf] = await Promise.all([toolVersion(GCC), found(GCC, ['-print-file-name=rdimon.specs']), toolVersion(SIZE), toolVersion(READELF)]);
  if (gcc === undefined) throw new UserError(`${GCC} was not found on PATH: ${install}`);
  // Without newlib, gcc prints the bare name back instead of a path.
  if (specs === undefined || specs.trim() === 'rdimon.specs') {
    throw new UserError(`${GCC} has no newlib (rdimon.specs not found): install it with: sudo apt-get install libnewlib-arm-none-eabi`);
  }
  for (const [tool, version] of [[SIZE, size], [READELF, readelf]] as const) {
    if (version === undefined) throw new UserError(`${tool} was not found on PATH: install it with: sudo apt-get install binutils-arm-none-eabi`);
  }
}

async function checkQemu(): Promise<void> {
  if ((await found(QEMU, ['--version'])) === undefined) {
    throw new UserError(`${QEMU} was not found on PATH: install it with: sudo apt-get install qemu-system-arm`);
  }
}
