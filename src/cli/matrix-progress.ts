/**
 * Progress of the validation matrix on stderr. On a terminal: a status line, redrawn in place,
 * with the cells done and the cells running (and their stage), and one line per finished cell
 * above it. Elsewhere (CI logs, pipes): one line per finished cell.
 */
import type { CellReport, MatrixCell } from '../validate/matrix.ts';
import type { ValidateStage } from '../validate/stage.ts';

export interface MatrixProgress {
  onCellStart(cell: MatrixCell): void;
  onCellProgress(cell: MatrixCell, text: string, stage: ValidateStage): void;
  onCellDone(cell: MatrixCell, report: CellReport, done: number, total: number): void;
  /** Clears the status line. */
  finish(): void;
}

export function matrixProgress(total: number, stream: NodeJS.WriteStream = process.stderr): MatrixProgress {
  const tty = stream.isTTY === true;
  const running = new Map<number, { cell: MatrixCell; stage: ValidateStage | undefined }>();
  let done = 0;
  let failed = 0;
  const clear = '\r\x1b[K';

  const status = (): string => {
    const head = `tinygen: [${done}/${total}] ${done - failed} passed, ${failed} failed`;
    const now = [...running.values()].map(({ cell, stage }) => `${cell.label}: ${shortStage(stage)}`);
    const line = now.length ? `${head}; running ${now.join('; ')}` : head;
    const width = Math.max(20, (stream.columns || 100) - 1);
    return line.length > width ? `${line.slice(0, width - 3)}...` : line;
  };
  const redraw = () => {
    if (tty) stream.write(`${clear}${status()}`);
  };
  const finishedLine = (cell: MatrixCell, report: CellReport, n: number): string => {
    const time = `${(report.wallMs / 1000).toFixed(1)} s`;
    return report.passed
      ? `tinygen: [${n}/${total}] PASS ${cell.label}, ${report.inputs} inputs, ${time}`
      : `tinygen: [${n}/${total}] FAIL ${cell.label}, ${time}: ${report.failure ?? 'failed'}`;
  };

  return {
    onCellStart(cell) {
      running.set(cell.index, { cell, stage: undefined });
      redraw();
    },
    onCellProgress(cell, _text, stage) {
      running.set(cell.index, { cell, stage });
      redraw();
    },
    onCellDone(cell, report, n) {
      running.delete(cell.index);
      done = n;
      if (!report.passed) failed++;
      stream.write(`${tty ? clear : ''}${finishedLine(cell, report, n)}\n`);
      redraw();
    },
    finish() {
      if (tty) stream.write(clear);
    },
  };
}

/** validate()'s stages in a word, so several running cells fit on one line. */
const SHORT_STAGE: Record<ValidateStage, string> = { compile: 'compiling', fit: 'checking', reference: 'reference', build: 'build', run: 'QEMU', trace: 'tracing' };

function shortStage(stage: ValidateStage | undefined): string {
  return stage === undefined ? 'starting' : SHORT_STAGE[stage];
}
