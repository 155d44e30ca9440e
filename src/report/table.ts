/** Tables as aligned terminal text and as Markdown, for reports, benchmarks and listings. */

export interface Table {
  header: string[];
  rows: string[][];
  /** Indexes of columns holding numbers, aligned right. */
  numeric?: ReadonlySet<number>;
}

export function textTable({ header, rows, numeric }: Table): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric?.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [header, ...rows].map(line).join('\n');
}

export function markdownTable({ header, rows, numeric }: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (numeric?.has(i) ? '---:' : ':---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** 12345 → "12,345". */
export const grouped = (n: number) => n.toLocaleString('en-US');
