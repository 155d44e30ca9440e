/**
 * Runs a firmware ELF on the board's QEMU machine, with semihosting for argv, files and exit status.
 */
import path from 'node:path';
import { execa } from './exec.ts';
import type { Board } from '../boards/board.ts';
import { UserError } from '../errors.ts';
import { qemuArgv } from './flags.ts';
import { checkTools, QEMU } from './tools.ts';

export interface RunOptions {
  board: Board;
  /** Relative to the process's working directory (not `cwd`). */
  elfPath: string;
  /** The firmware's argv[1..]. Keep them short and relative to `cwd`: crt0 takes 254 bytes in all. */
  args: string[];
  /** QEMU is killed after this long and the run reported with timedOut: true. */
  timeoutMs: number;
  /** QEMU's working directory: semihosting resolves the firmware's file names against it. */
  cwd?: string;
  /** -icount shift=0: deterministic virtual time, one instruction per nanosecond. */
  icount?: boolean;
  /** Boards with a UART console: QEMU writes the first serial port to this file (relative to `cwd`). */
  serialFile?: string;
  /** Each line the firmware prints on stdout, as it arrives (the whole stdout is in the result too). */
  onStdoutLine?: (line: string) => void;
}

export interface RunResult {
  /**
   * The firmware's exit status: main's return value, or 100 + the exception number for a fault
   * (see templates/startup.c.hbs). null when QEMU did not exit by itself (see `signal`).
   */
  exitCode: number | null;
  /**
   * The signal that ended QEMU, if any: SIGTERM/SIGKILL at the timeout; SIGABRT when QEMU gives up
   * on the core ("Lockup" in stderr, e.g. after a stack overflow on a core without a stack limit).
   */
  signal: string | null;
  /** What the firmware wrote to stdout (semihosting). */
  stdout: string;
  /** What the firmware wrote to stderr (its error lines, fault reports), then QEMU's own messages. */
  stderr: string;
  timedOut: boolean;
  /** The qemu-system-arm command line, for messages. */
  command: string[];
}

export async function runFirmware(options: RunOptions): Promise<RunResult> {
  const { board } = options;
  if (!board.qemu) {
    throw new UserError(`board ${board.id} has no QEMU machine (${board.file} has no "qemu" field): it can be built, not run`);
  }
  await checkTools(['qemu']);
  const argv = qemuArgv(board, path.resolve(options.elfPath), options.args, {
    icount: options.icount ?? false,
    ...(options.serialFile !== undefined ? { serialFile: options.serialFile } : {}),
  });
  const onLine = options.onStdoutLine;
  const result = await execa(QEMU, argv, {
    cwd: options.cwd,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    // Each line passed on as it arrives, and kept as it was (newline included).
    ...(onLine
      ? {
          stdout: {
            *transform(line: unknown) {
              const text = String(line);
              onLine(text.replace(/\r?\n$/, ''));
              yield text;
            },
            preserveNewlines: true,
          },
        }
      : {}),
  });
  if (result.exitCode === undefined && !result.timedOut && !result.isTerminated) {
    // QEMU did not start at all (spawn failed).
    throw new Error(`cannot run ${QEMU}: ${result.message}`);
  }
  return {
    exitCode: result.timedOut ? null : (result.exitCode ?? null),
    signal: result.signal ?? null,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timedOut,
    command: [QEMU, ...argv],
  };
}
