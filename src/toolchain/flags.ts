/**
 * Compiler, linker and QEMU command lines, derived from a board and nothing else.
 */
import path from 'node:path';
import { uartConsole, type Board } from '../boards/board.ts';
import { CPUS } from '../boards/cpus.ts';
import { UserError } from '../errors.ts';

/** -mcpu (with +nofp/+nodsp/+nomve modifiers), -mthumb, -mfpu and -mfloat-abi. */
export function cpuFlags(board: Board): string[] {
  const info = CPUS[board.cpu];
  if (!info) throw new Error(`board ${board.id}: unknown cpu ${board.cpu}`);
  let mcpu = board.cpu;
  const hasOptionalFpu = board.cpu === 'cortex-m4' || board.cpu === 'cortex-m7' || board.cpu === 'cortex-m33' || board.cpu === 'cortex-m55';
  if (board.fpu === null && hasOptionalFpu) mcpu += '+nofp';
  if (!board.features.dsp && info.dsp === 'optional') mcpu += '+nodsp';
  if (!board.features.mve && info.mve === 'optional' && board.fpu !== null) mcpu += '+nomve';
  const flags = [`-mcpu=${mcpu}`, '-mthumb'];
  if (board.fpu === null) flags.push('-mfloat-abi=soft');
  else flags.push(`-mfpu=${info.fpus[board.fpu] ?? board.fpu}`, '-mfloat-abi=hard');
  return flags;
}

/**
 * Flags for compiling C for the board. -ffp-contract=off keeps every float operation a separately
 * rounded IEEE single operation (no fused multiply-add), as on the host.
 */
export function compileFlags(board: Board): string[] {
  return [
    ...cpuFlags(board),
    '-std=c11',
    // Inline assembly in unified syntax on every core (gcc assumes divided syntax on Thumb-1).
    '-masm-syntax-unified',
    '-O2',
    '-g',
    '-ffunction-sections',
    '-fdata-sections',
    '-ffp-contract=off',
    '-Wall',
    '-Wextra',
    '-Werror',
  ];
}

/**
 * Flags for linking: newlib with semihosting (rdimon) where the board uses it, else with the
 * no-OS stubs (nosys, the startup code defining _write and _exit); the board's linker script;
 * unused sections dropped.
 */
export function linkFlags(board: Board, linkerScript: string, mapFile?: string): string[] {
  const flags = [...cpuFlags(board), board.semihosting ? '--specs=rdimon.specs' : '--specs=nosys.specs', '-T', linkerScript, '-Wl,--gc-sections'];
  // A UART console with semihosting: the startup code's __wrap__write sends stdout and stderr to
  // the UART and passes every other file descriptor on to rdimon's _write (semihosting files).
  if (board.semihosting && uartConsole(board)) flags.push('-Wl,--wrap=_write');
  if (mapFile) flags.push(`-Wl,-Map=${mapFile}`);
  return flags;
}

/** Libraries linked after the objects. */
export const LINK_LIBS = ['-lm'];

/**
 * newlib's rdimon crt0 fetches the command line with SYS_GET_CMDLINE into a 255-byte buffer and
 * splits it at spaces; a word that starts with " or ' runs to the next same quote. QEMU joins the
 * `arg=` values of -semihosting-config with single spaces.
 */
export const MAX_CMDLINE_BYTES = 254;

/** Quotes one argument so rdimon's crt0 gives it back unchanged. */
export function quoteFirmwareArg(arg: string): string {
  const needsQuotes = arg === '' || arg.includes(' ') || arg.startsWith('"') || arg.startsWith("'");
  if (!needsQuotes) return arg;
  if (!arg.includes('"')) return `"${arg}"`;
  if (!arg.includes("'")) return `'${arg}'`;
  throw new UserError(`cannot pass ${JSON.stringify(arg)} to firmware: it holds a space and both kinds of quote`);
}

/** The command line the firmware sees (argv[0] first), as newlib's crt0 will parse it. */
export function firmwareCmdline(argv0: string, args: readonly string[]): string {
  const line = [argv0, ...args].map(quoteFirmwareArg).join(' ');
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > MAX_CMDLINE_BYTES) {
    throw new Error(
      `the firmware command line is ${bytes} bytes, newlib's rdimon crt0 takes at most ${MAX_CMDLINE_BYTES}: ` +
        `pass short relative paths and run QEMU in their directory (cwd): ${line.slice(0, 80)}...`,
    );
  }
  return line;
}

export interface QemuArgvOptions {
  /** -icount shift=0: one instruction per nanosecond of virtual time, deterministic. */
  icount?: boolean;
  /**
   * Where the machine's first serial port goes, for boards with a UART console: a file path
   * (`-serial file:<path>`, relative to QEMU's working directory). Default: QEMU's stdout, which
   * -nographic gives it, interleaved with semihosting output.
   */
  serialFile?: string;
}

/**
 * The qemu-system-arm argument vector that boots `elfPath` on the board. `args` become the
 * firmware's argv[1..] through semihosting (argv[0] is the ELF's file name); file paths in them
 * are resolved by QEMU relative to its working directory.
 */
export function qemuArgv(board: Board, elfPath: string, args: readonly string[], options: QemuArgvOptions = {}): string[] {
  if (!board.qemu) {
    throw new UserError(`board ${board.id} has no QEMU machine (${board.file} has no "qemu" field): it can be built, not run`);
  }
  firmwareCmdline(path.basename(elfPath), args); // throws if crt0 could not take it
  const semihosting = ['enable=on', 'target=native', ...[path.basename(elfPath), ...args].map((a) => `arg=${escapeQemuOpt(quoteFirmwareArg(a))}`)];
  const argv = ['-machine', board.qemu.machine];
  if (board.qemu.cpu) argv.push('-cpu', board.qemu.cpu);
  argv.push('-nographic', '-monitor', 'none', '-no-reboot', '-semihosting-config', semihosting.join(','), '-kernel', elfPath);
  if (options.serialFile !== undefined) argv.push('-serial', `file:${options.serialFile}`);
  if (options.icount) argv.push('-icount', 'shift=0');
  return argv;
}

/** QEMU's option parser splits at commas; a literal comma is written twice. */
function escapeQemuOpt(value: string): string {
  return value.replaceAll(',', ',,');
}
