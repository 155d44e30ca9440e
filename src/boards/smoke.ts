/**
 * The smoke test of a board file: builds firmware/smoke/main.c for the board (through the board's
 * own linker script and startup code) and, when the board has a QEMU machine, boots it and checks
 * the one line it prints. Used by `tinygen boards check`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uartConsole, type Board } from './board.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { buildFirmware } from '../toolchain/build.ts';
import { runFirmware } from '../toolchain/qemu.ts';
import { describeExitStatus } from '../toolchain/harness.ts';

export const SMOKE_MAIN = path.join(PACKAGE_ROOT, 'firmware', 'smoke', 'main.c');

export interface SmokeResult {
  /** True when the image built and, on a QEMU board, booted and printed the expected line. */
  passed: boolean;
  booted: boolean;
  /** Sizes of the image, as arm-none-eabi-size reports them. */
  sizes?: { text: number; data: number; bss: number };
  /** What the firmware printed on the board's UART (boards with a UART console under QEMU). */
  serial?: string;
  /** The values the firmware printed (sum, weighted, and fpu/dsp/mve where the board has them). */
  values?: Record<string, number>;
  /** Why it failed, one line. */
  failure?: string;
  wallMs: number;
}

const SMOKE_BYTES = 256;

/** What the smoke firmware must print on this board, computed independently of the C. */
export function expectedSmokeValues(board: Board): Record<string, number> {
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < SMOKE_BYTES; i++) {
    const w = (((i * 37 + 11) & 0xff) << 24) >> 24; // as int8
    const a = (((w ^ 0x5a) & 0xff) << 24) >> 24;
    sum += w;
    weighted += i * a;
  }
  const values: Record<string, number> = { sum, weighted };
  if (board.fpu !== null) values.fpu = 337; // 1.5 * 2.25 * 100, exact in float32
  if (board.features.dsp) values.dsp = 33; // SMLAD: 2*4 + 3*5 + 10
  if (board.features.mve) values.mve = 48; // VADDV of sixteen 3s
  return values;
}

export function parseSmokeLine(stdout: string): Record<string, number> | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('tinygen: smoke '));
  if (!line) return undefined;
  const words = line.trim().slice('tinygen: smoke '.length).split(/\s+/);
  const values: Record<string, number> = {};
  for (let i = 0; i + 1 < words.length; i += 2) values[words[i]!] = Number(words[i + 1]);
  return values;
}

export interface SmokeOptions {
  timeoutMs?: number;
  /** Keep the build here instead of a temporary directory that is removed afterwards. */
  keepDir?: string;
}

/** How long a board without semihosting runs under QEMU: it cannot exit, so it is stopped. */
const BARE_RUN_MS = 3000;

export async function smokeTest(board: Board, options: SmokeOptions = {}): Promise<SmokeResult> {
  const start = performance.now();
  const outDir = options.keepDir ? path.resolve(options.keepDir) : mkdtempSync(path.join(tmpdir(), `tinygen-smoke-${board.id}-`));
  const done = (r: Omit<SmokeResult, 'wallMs'>): SmokeResult => ({ ...r, wallMs: Math.round(performance.now() - start) });
  try {
    let build;
    try {
      build = await buildFirmware({ board, sources: [SMOKE_MAIN], includeDirs: [], outDir, name: 'smoke' });
    } catch (e) {
      const message = (e as Error).message.split('\n').filter((l) => l.trim() !== '');
      // gcc's or ld's first complaint is the useful line (e.g. "region `RAM' overflowed by 812 bytes").
      const detail = message.find((l) => /error|overflow|undefined reference/i.test(l)) ?? message[0] ?? 'build failed';
      return done({ passed: false, booted: false, failure: `the smoke firmware does not build: ${detail.trim()}` });
    }
    // Without semihosting the firmware can only be watched through a UART, and it cannot make QEMU exit.
    if (!board.qemu || (!board.semihosting && !uartConsole(board))) return done({ passed: true, booted: false, sizes: build.sizes });
    // A UART console: QEMU writes the serial port to a file, and the line must arrive there.
    const serialFile = uartConsole(board) ? 'uart.log' : undefined;
    const run = await runFirmware({
      board,
      elfPath: build.elfPath,
      args: [],
      timeoutMs: board.semihosting ? (options.timeoutMs ?? 20_000) : BARE_RUN_MS,
      cwd: outDir,
      ...(serialFile ? { serialFile } : {}),
    });
    const serialPath = serialFile ? path.join(outDir, serialFile) : undefined;
    const printed = serialPath ? (existsSync(serialPath) ? readFileSync(serialPath, 'utf8') : '') : run.stdout;
    const values = parseSmokeLine(printed);
    const base = { booted: true, sizes: build.sizes, ...(values ? { values } : {}), ...(serialPath ? { serial: printed } : {}) };
    if (!board.semihosting) {
      // The firmware stops its core at exit, after writing its status to the UART; QEMU runs on until killed.
      const exit = /^tinygen: (exit -?\d+|fault: .*)$/m.exec(printed);
      if (!exit) return done({ ...base, passed: false, failure: `the smoke firmware wrote no "tinygen: exit" line on its UART within ${BARE_RUN_MS} ms` });
      if (exit[1] !== 'exit 0') return done({ ...base, passed: false, failure: `the smoke firmware stopped with "tinygen: ${exit[1]}" on its UART` });
    } else if (run.timedOut) {
      return done({ ...base, passed: false, failure: `QEMU ${board.qemu.machine} did not exit within ${options.timeoutMs ?? 20_000} ms` });
    } else if (run.exitCode !== 0) {
      const fault = run.stderr.split('\n').find((l) => l.startsWith('tinygen: fault:'));
      return done({
        ...base,
        passed: false,
        failure: `the smoke firmware exited with status ${run.exitCode} (${describeExitStatus(run.exitCode)})${fault ? `: ${fault}` : ''}`,
      });
    }
    const expected = expectedSmokeValues(board);
    if (!values) return done({ ...base, passed: false, failure: `the smoke firmware exited 0 but printed no "tinygen: smoke" line${serialPath ? ' on its UART' : ''}` });
    const wrong = Object.entries(expected)
      .filter(([k, v]) => values[k] !== v)
      .map(([k, v]) => `${k} ${values[k] ?? 'missing'} (expected ${v})`);
    const extra = Object.keys(values).filter((k) => !(k in expected));
    if (extra.length > 0) wrong.push(...extra.map((k) => `${k} present, but the board file says the core has no ${k}`));
    if (wrong.length > 0) return done({ ...base, passed: false, failure: `wrong smoke values: ${wrong.join(', ')}` });
    return done({ ...base, passed: true });
  } finally {
    if (!options.keepDir) rmSync(outDir, { recursive: true, force: true });
  }
}
