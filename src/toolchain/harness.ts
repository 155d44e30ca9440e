/**
 * The protocol of firmware/harness/main.c, for the code that runs it: its exit statuses and the
 * lines it prints.
 */

/** Exit statuses of the harness (the enum in firmware/harness/main.c). */
export const HARNESS_EXIT = {
  ok: 0,
  usage: 2,
  openInput: 3,
  openOutput: 4,
  shortRead: 5,
  runFailed: 6,
  writeFailed: 7,
  readFailed: 8,
  /** A TINYGEN_TRACE build could not create or write its trace file. */
  traceFailed: 9,
} as const;

/** Fault exits are 100 + the exception number (templates/startup.c.hbs); 116 stands for any IRQ. */
export const FAULT_EXIT_BASE = 100;

const EXCEPTION_NAMES: Record<number, string> = {
  2: 'NMI',
  3: 'HardFault',
  4: 'MemManage',
  5: 'BusFault',
  6: 'UsageFault',
  7: 'SecureFault',
  11: 'SVCall',
  12: 'DebugMonitor',
  14: 'PendSV',
  15: 'SysTick',
  16: 'an interrupt',
};

/** A few words for an exit status of the harness firmware, for messages. */
export function describeExitStatus(status: number | null): string {
  switch (status) {
    case null:
      return 'QEMU was killed (timeout, or the core locked up)';
    case HARNESS_EXIT.ok:
      return 'success';
    case HARNESS_EXIT.usage:
      return 'bad arguments';
    case HARNESS_EXIT.openInput:
      return 'cannot open the input file';
    case HARNESS_EXIT.openOutput:
      return 'cannot open the output file';
    case HARNESS_EXIT.shortRead:
      return 'the input file ends inside a record';
    case HARNESS_EXIT.runFailed:
      return 'harness_run failed';
    case HARNESS_EXIT.writeFailed:
      return 'writing the output file failed';
    case HARNESS_EXIT.readFailed:
      return 'reading the input file failed';
    case HARNESS_EXIT.traceFailed:
      return 'cannot create or write the trace file';
  }
  const exception = status - FAULT_EXIT_BASE;
  if (exception >= 2 && exception <= 16) return `fault: ${EXCEPTION_NAMES[exception] ?? `exception ${exception}`}`;
  return `exit status ${status}`;
}

export interface HarnessReport {
  /** SysTick ticks per inference, in record order (core clock; 40 instructions each under -icount shift=0 at 25 MHz). */
  ticks: number[];
  /** The count on the final "done" line, or undefined if the harness did not get that far. */
  done: number | undefined;
  /** Built with -DTINYGEN_PROFILE: per inference, the ticks of each layer that ran, in order. */
  layerTicks: { layer: number; ticks: number }[][];
  /** Built with -DTINYGEN_MEASURE_STACK: per inference, the stack bytes harness_run used. */
  stackBytes: number[];
}

/**
 * Reads the "tinygen: inference <i> ticks <n>" and "tinygen: done inferences <n>" lines, and the
 * profile's "inference <i> layer <l> ticks <n>" and "inference <i> stack <bytes>" lines.
 */
/** The line the harness prints after each inference: its index and its ticks. */
export const INFERENCE_LINE = /^tinygen: inference (\d+) ticks (\d+)\r?$/;

export function parseHarnessStdout(stdout: string): HarnessReport {
  const ticks: number[] = [];
  const layerTicks: HarnessReport['layerTicks'] = [];
  const stackBytes: number[] = [];
  let done: number | undefined;
  for (const line of stdout.split('\n')) {
    const l = /^tinygen: inference (\d+) layer (\d+) ticks (\d+)\r?$/.exec(line);
    if (l) {
      (layerTicks[Number(l[1])] ??= []).push({ layer: Number(l[2]), ticks: Number(l[3]) });
      continue;
    }
    const s = /^tinygen: inference (\d+) stack (\d+)\r?$/.exec(line);
    if (s) {
      stackBytes[Number(s[1])] = Number(s[2]);
      continue;
    }
    const t = INFERENCE_LINE.exec(line);
    if (t) {
      if (Number(t[1]) !== ticks.length) throw new Error(`harness output out of order: ${line}`);
      ticks.push(Number(t[2]));
      continue;
    }
    const d = /^tinygen: done inferences (\d+)\r?$/.exec(line);
    if (d) done = Number(d[1]);
  }
  return { ticks, done, layerTicks, stackBytes };
}
