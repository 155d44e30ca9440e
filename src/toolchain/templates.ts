/**
 * Renders the board-specific firmware files (linker script, startup code) from templates/.
 */
import path from 'node:path';
import { placementRegion, uartConsole, type Board } from '../boards/board.ts';
import { CPUS } from '../boards/cpus.ts';
import { TOOL_VERSION } from '../version.ts';
import { renderTemplate } from '../codegen/render.ts';

function hex(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The exception handlers' own stack (MSP), above the program's stack (PSP). */
export const HANDLER_STACK_BYTES = 1024;

/** Number of external interrupt vectors in the table; all go to the default (fault) handler. */
const IRQ_VECTORS = 32;

/** Everything the linker-script and startup templates need, as strings and flags. */
export function boardView(board: Board) {
  const info = CPUS[board.cpu];
  if (!info) throw new Error(`board ${board.id}: unknown cpu ${board.cpu}`);
  return {
    tool: `tinygen ${TOOL_VERSION}`,
    boardId: board.id,
    boardFile: board.file.split(path.sep).join('/'),
    cpu: board.cpu,
    fpu: board.fpu ?? 'none',
    hasFpu: board.fpu !== null,
    mainline: info.profile === 'mainline',
    hasStackLimit: info.hasStackLimit,
    stackGuard: stackGuard(board) ?? false,
    regions: board.memory.map((r) => ({
      name: r.name,
      attributes: r.kind === 'flash' ? 'rx' : 'rwx',
      origin: hex(r.origin),
      length: hex(r.length),
    })),
    ramRanges: board.memory
      .filter((r) => r.kind === 'ram')
      .map((r) => ({ name: r.name, start: hex(r.origin), end: hex(r.origin + r.length) })),
    code: placementRegion(board, 'code').name,
    weights: placementRegion(board, 'weights').name,
    data: placementRegion(board, 'data').name,
    arena: placementRegion(board, 'arena').name,
    stack: placementRegion(board, 'stack').name,
    stackSize: hex(board.placement.stackSize),
    heapSize: hex(board.placement.heapSize),
    handlerStackSize: hex(HANDLER_STACK_BYTES),
    irqs: Array.from({ length: IRQ_VECTORS }, (_, i) => i),
    uart: uartView(board) ?? false,
    semihosting: board.semihosting,
  };
}

/** The UART console's registers and divisor (the UART's clock / baud), for the startup template. */
function uartView(board: Board) {
  const uart = uartConsole(board);
  if (!uart) return undefined;
  return {
    kind: uart.kind,
    cmsdk: uart.kind === 'cmsdk',
    stm32: uart.kind === 'stm32-usart',
    base: hex(uart.base),
    baud: uart.baud,
    divisor: Math.round(uart.clockHz / uart.baud),
  };
}

/**
 * On v7-M cores (no stack-limit register) an MPU region forbids the GUARD bytes just below the
 * program's stack, so an overflow faults (MemManage) instead of running into memory that QEMU
 * reads as zero and ignores writes to. The stack is the first section of its region, so its limit
 * is the region's origin; the region must be aligned to its (power-of-two) size.
 */
const MAX_GUARD_BYTES = 64 * 1024;

function stackGuard(board: Board): { base: string; end: string; bytes: number; sizeField: number } | undefined {
  const info = CPUS[board.cpu]!;
  const { code, weights, stack } = board.placement;
  if (info.profile !== 'mainline' || info.hasStackLimit || stack === code || stack === weights) return undefined;
  const origin = placementRegion(board, 'stack').origin;
  let bytes = MAX_GUARD_BYTES;
  while (bytes >= 32 && (origin % bytes !== 0 || origin < bytes)) bytes /= 2;
  if (bytes < 32) return undefined;
  return { base: hex(origin - bytes), end: hex(origin), bytes, sizeField: Math.log2(bytes) - 1 };
}

export function renderLinkerScript(board: Board): string {
  return renderTemplate('linker.ld.hbs', boardView(board));
}

export function renderStartup(board: Board): string {
  return renderTemplate('startup.c.hbs', boardView(board));
}
