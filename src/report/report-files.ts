/** The files a report is written as: JSON, Markdown and the SVG memory timeline. */
import type { ModelReport } from './report.ts';
import { reportMarkdown } from './format-report.ts';
import { renderMemoryTimeline } from './memory-timeline-svg.ts';
import { LINE_BUFFERED_OPS } from '../passes/line-buffer.ts';

export function memoryTimeline(report: ModelReport): string {
  return renderMemoryTimeline({
    title: `${report.name}: arena ${report.arenaBytes} B (lower bound ${report.lowerBoundBytes} B)`,
    steps: report.layers.map((l) => ({ label: `${l.index} ${l.op} ${l.node}`, inPlace: l.sharing === 'in place', lineBuffered: LINE_BUFFERED_OPS.includes(l.op) })),
    arenaBytes: report.arenaBytes,
    lowerBoundBytes: report.lowerBoundBytes,
    // A kernel's scratch space has no tensors: name it after its node.
    buffers: report.buffers.map((b) => (b.scratchStep !== undefined ? { ...b, tensors: [`scratch of ${b.scratchStep} ${report.layers[b.scratchStep]!.node}`] } : b)),
    liveBytes: report.layers.map((l) => l.liveBytes),
  });
}

/** File name → contents: <name>_report.json, <name>_report.md and <name>_memory.svg. */
export function reportFiles(report: ModelReport): Map<string, string> {
  return new Map([
    [`${report.name}_report.json`, `${JSON.stringify(report, null, 2)}\n`],
    [`${report.name}_report.md`, reportMarkdown(report)],
    [`${report.name}_memory.svg`, memoryTimeline(report)],
  ]);
}
