/**
 * The validation matrix as JUnit XML, for CI: one <testsuite> per board (or per model), one
 * <testcase> per cell, and a <failure> naming the first mismatching bytes or the failure reason.
 */
import { basename } from 'node:path';
import type { CellReport, MatrixReport } from './matrix.ts';
import { describeMismatch } from './matrix.ts';
import { describeFirstDivergence, divergenceSummary } from './trace.ts';

export type JunitGrouping = 'board' | 'model';

export function matrixJunit(report: MatrixReport, groupBy: JunitGrouping = 'board'): string {
  const groups = new Map<string, CellReport[]>();
  for (const cell of report.cells) {
    const key = groupBy === 'board' ? cell.board : cell.model;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const failed = report.cells.filter((c) => !c.passed).length;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tinygen validate" tests="${report.cells.length}" failures="${failed}" errors="0" time="${seconds(report.wallMs)}">`,
  ];
  for (const [key, cells] of groups) {
    const suite = groupBy === 'board' ? key : basename(key);
    const suiteFailures = cells.filter((c) => !c.passed).length;
    const time = cells.reduce((s, c) => s + c.wallMs, 0);
    out.push(
      `  <testsuite name="${attr(suite)}" tests="${cells.length}" failures="${suiteFailures}" errors="0" skipped="0" time="${seconds(time)}">`,
    );
    for (const cell of cells) {
      const name = groupBy === 'board' ? `${basename(cell.model)} (${cell.rounding})` : `${cell.board} (${cell.rounding})`;
      out.push(`    <testcase classname="${attr(`tinygen.validate.${suite}`)}" name="${attr(name)}" time="${seconds(cell.wallMs)}">`);
      if (!cell.passed) {
        const summary = cell.firstDivergence ? divergenceSummary(cell.firstDivergence, cell.board) : undefined;
        const message = `${cell.failure ?? 'failed'}${summary ? `; ${summary}` : ''}`;
        // Bytes a crashed or hung firmware never wrote (actual -1) are not listed one by one.
        const listed = cell.mismatches.filter((m) => m.actual >= 0);
        const body = [
          message,
          ...listed.map((m) => `mismatch: ${describeMismatch(m)}`),
          ...(listed.length > 0 && cell.mismatchCount > listed.length ? [`... and ${cell.mismatchCount - listed.length} more`] : []),
          ...(cell.firstDivergence ? describeFirstDivergence(cell.firstDivergence, cell.board) : []),
          ...(cell.failureDetails ? ['', cell.failureDetails] : []),
        ].join('\n');
        out.push(`      <failure message="${attr(message)}" type="${attr(cell.failureKind ?? 'error')}">${text(body)}</failure>`);
      }
      out.push(`      <system-out>${text(summaryLine(cell))}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function summaryLine(cell: CellReport): string {
  const parts = [
    `model ${cell.model}`,
    `board ${cell.board}`,
    `rounding ${cell.rounding}`,
    `inputs ${cell.inputs}`,
    `bytes compared ${cell.bytesCompared}`,
    `mismatches ${cell.mismatchCount}`,
  ];
  if (cell.flashBytes !== null) parts.push(`flash ${cell.flashBytes} B`);
  if (cell.ramBytes !== null) parts.push(`RAM ${cell.ramBytes} B`);
  return parts.join(', ');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Characters XML 1.0 does not allow at all (most control characters, lone surrogates) become U+FFFD. */
function legal(s: string): string {
  return s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

export function text(s: string): string {
  return legal(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for a double-quoted attribute; line breaks and tabs as references, so they survive attribute normalization. */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
