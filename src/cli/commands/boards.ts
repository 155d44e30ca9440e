/**
 * `tinygen boards list | show <id> | check <file>`: the boards in boards/, one board in full with
 * the compiler flags and QEMU command line derived from it, and a board author's check of a file
 * (every error, one line each; then a smoke firmware built and, under QEMU, booted).
 */
import { textTable } from '../../report/table.ts';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkBoardFile, listBoards, loadBoard, type Board } from '../../boards/board.ts';
import { smokeTest } from '../../boards/smoke.ts';
import { compileFlags, linkFlags, qemuArgv } from '../../toolchain/flags.ts';
import { QEMU } from '../../toolchain/tools.ts';
import { printJson } from '../output.ts';

export const EXIT_BAD_BOARD = 2;
export const EXIT_SMOKE_FAILED = 1;

function regionBytes(board: Board, kind: 'flash' | 'ram'): number {
  return board.memory.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.length, 0);
}

function kib(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}

function featureList(board: Board): string[] {
  return (['dsp', 'mve'] as const).filter((f) => board.features[f]);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** The gcc and QEMU command lines a board gives, as they are used (with placeholder file names). */
export function derivedCommands(board: Board): { compile: string[]; link: string[]; qemu: string[] | null } {
  return {
    compile: compileFlags(board),
    link: linkFlags(board, 'linker.ld'),
    qemu: board.qemu ? [QEMU, ...qemuArgv(board, 'firmware.elf', [])] : null,
  };
}

function listRow(board: Board) {
  return {
    id: board.id,
    cpu: board.cpu,
    fpu: board.fpu,
    features: featureList(board),
    flashBytes: regionBytes(board, 'flash'),
    ramBytes: regionBytes(board, 'ram'),
    qemuMachine: board.qemu?.machine ?? null,
  };
}

function printTable(header: string[], rows: string[][]): void {
  console.log(textTable({ header, rows }));
}

function listBoardsCommand(json: boolean): void {
  const rows = listBoards().map(listRow);
  if (json) {
    printJson(rows);
    return;
  }
  printTable(
    ['id', 'cpu', 'fpu', 'features', 'flash', 'RAM', 'QEMU machine'],
    rows.map((r) => [r.id, r.cpu, r.fpu ?? '-', r.features.join(',') || '-', kib(r.flashBytes), kib(r.ramBytes), r.qemuMachine ?? '- (build only)']),
  );
}

function showBoard(idOrPath: string, json: boolean): void {
  const board = loadBoard(idOrPath);
  const commands = derivedCommands(board);
  if (json) {
    printJson({ ...board, derived: { gccCompileFlags: commands.compile, gccLinkFlags: commands.link, qemuCommand: commands.qemu } });
    return;
  }
  const p = board.placement;
  console.log(`${board.id}: ${board.description}`);
  console.log(`  file:        ${board.file}`);
  console.log(`  cpu:         ${board.cpu}`);
  console.log(`  fpu:         ${board.fpu ?? 'none'}`);
  console.log(`  features:    dsp ${board.features.dsp}, mve ${board.features.mve}`);
  console.log(`  clock:       ${board.clockHz} Hz`);
  console.log(`  memory:`);
  for (const r of board.memory) {
    console.log(`    ${r.name.padEnd(8)} ${r.kind.padEnd(5)} ${hex(r.origin)}..${hex(r.origin + r.length)}  ${kib(r.length)}`);
  }
  console.log(`  placement:   code ${p.code}, weights ${p.weights}, data ${p.data}, arena ${p.arena}, stack ${p.stack}`);
  console.log(`  stack:       ${p.stackSize} B in ${p.stack}`);
  console.log(`  heap:        ${p.heapSize} B in ${p.data}`);
  const uart = typeof board.console === 'object' ? board.console.uart : undefined;
  console.log(`  console:     ${uart ? `${uart.kind} UART at ${hex(uart.base)}, ${uart.baud} baud (UART clock ${uart.clockHz} Hz)` : board.console}`);
  console.log(`  qemu:        ${board.qemu ? `machine ${board.qemu.machine}${board.qemu.cpu ? `, cpu ${board.qemu.cpu}` : ''}` : 'none (build only)'}`);
  console.log(`  gcc compile: ${commands.compile.join(' ')}`);
  console.log(`  gcc link:    ${commands.link.join(' ')}`);
  console.log(`  qemu run:    ${commands.qemu ? commands.qemu.join(' ') : 'none (the board has no QEMU machine)'}`);
}

interface CheckReport {
  file: string;
  valid: boolean;
  errors: string[];
  smoke?: Awaited<ReturnType<typeof smokeTest>> | { skipped: true };
}

async function checkBoardCommand(file: string, options: { json: boolean; build: boolean; timeoutMs: number }): Promise<number> {
  const { board, errors, file: shown } = checkBoardFile(file);
  const report: CheckReport = { file: shown, valid: board !== undefined, errors };
  if (!board) {
    if (options.json) printJson(report);
    else {
      for (const e of errors) process.stderr.write(`${e}\n`);
      process.stderr.write(`tinygen: ${shown}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    }
    return EXIT_BAD_BOARD;
  }
  if (!options.json) console.log(`${shown}: valid board "${board.id}" (${board.cpu}${board.fpu ? `, ${board.fpu}` : ''})`);
  if (!options.build) {
    report.smoke = { skipped: true };
    if (options.json) printJson(report);
    return 0;
  }
  const smoke = await smokeTest(board, { timeoutMs: options.timeoutMs });
  report.smoke = smoke;
  if (options.json) printJson(report);
  else {
    const size = smoke.sizes ? ` (text ${smoke.sizes.text} B, data ${smoke.sizes.data} B, bss ${smoke.sizes.bss} B)` : '';
    const what = board.qemu ? `smoke firmware built and booted on QEMU ${board.qemu.machine}` : 'smoke firmware built (no QEMU machine: not booted)';
    if (smoke.passed) {
      const values = smoke.values ? `: ${Object.entries(smoke.values).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
      console.log(`  ok: ${what}${size}${values}, ${smoke.wallMs} ms`);
    } else {
      console.log(`  FAIL: ${smoke.failure}`);
    }
  }
  return smoke.passed ? 0 : EXIT_SMOKE_FAILED;
}

interface BoardsArgs {
  id?: string;
  file?: string;
  json: boolean;
  build: boolean;
  timeout: number;
}

export const boardsCommand: CommandModule<object, BoardsArgs> = {
  command: 'boards',
  describe: 'List the boards, show one with its derived compiler and QEMU command lines, or check a board file',
  builder: (yargs: Argv) =>
    yargs
      .command<BoardsArgs>({
        command: 'list',
        describe: 'Table of the boards in boards/: id, cpu, fpu, features, flash, RAM, QEMU machine',
        builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print a JSON array' }) as Argv<BoardsArgs>,
        handler: (args: ArgumentsCamelCase<BoardsArgs>) => listBoardsCommand(args.json),
      })
      .command<BoardsArgs>({
        command: 'show <id>',
        describe: 'Every field of a board, and the gcc flags and QEMU command line derived from it',
        builder: (y) =>
          y
            .positional('id', { type: 'string', demandOption: true, describe: 'board id (see boards list) or path to a board .json' })
            .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as Argv<BoardsArgs>,
        handler: (args: ArgumentsCamelCase<BoardsArgs>) => showBoard(args.id!, args.json),
      })
      .command<BoardsArgs>({
        command: 'check <file>',
        describe:
          'Check a board file: every error as one line (file: JSON path: what was expected), exit 2; if valid, build a smoke ' +
          'firmware and, when the board has a QEMU machine, boot it (exit 1 if that fails)',
        builder: (y) =>
          y
            .positional('file', { type: 'string', demandOption: true, describe: 'the board .json file (or a board id)' })
            .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
            .option('build', { type: 'boolean', default: true, describe: 'build (and boot) the smoke firmware; --no-build only checks the file' })
            .option('timeout', { type: 'number', default: 20, describe: 'seconds before a hung smoke firmware is killed' }) as Argv<BoardsArgs>,
        handler: async (args: ArgumentsCamelCase<BoardsArgs>) => {
          process.exitCode = await checkBoardCommand(args.file!, { json: args.json, build: args.build, timeoutMs: args.timeout * 1000 });
        },
      })
      .demandCommand(1, 'Give a subcommand: list, show <id> or check <file>.')
      .example('$0 boards list', '')
      .example('$0 boards show mps3-an547', '')
      .example('$0 boards check boards/my-board.json', '') as Argv<BoardsArgs>,
  handler: () => {},
};
