/** A benchmark as terminal text and as a Markdown table row. */
import { basename } from 'node:path';
import type { BenchReport } from './bench.ts';
import { grouped, textTable } from '../report/table.ts';

const perMac = (n: number | null) => (n === null ? '' : n.toFixed(2));

export function benchText(b: BenchReport): string {
  const layers = textTable({
    header: ['#', 'layer', 'op', 'MACs', 'instructions', 'instr/MAC', 'share'],
    rows: b.layers.map((l) => [
      String(l.index),
      l.node,
      l.op,
      grouped(l.macs),
      grouped(l.instructions),
      perMac(l.instructionsPerMac),
      `${((l.instructions / Math.max(1, b.instructions + b.profileOverheadInstructions)) * 100).toFixed(1)}%`,
    ]),
    numeric: new Set([0, 3, 4, 5, 6]),
  });
  const r = b.report;
  return [
    `tinygen bench: ${basename(b.model)} on ${b.board} (${b.cpu}, rounding ${b.rounding}): ${b.bitExact ? 'bit-exact' : 'NOT bit-exact against the reference'}`,
    '',
    layers,
    '',
    `instructions per inference: ${grouped(b.instructions)} (QEMU -icount shift=0; ${b.resolution})`,
    `MACs: ${grouped(b.macs)}; instructions per MAC: ${perMac(b.instructionsPerMac) || 'n/a'}`,
    `per-layer figures come from a build with a hook after each layer; the hooks cost ${grouped(b.profileOverheadInstructions)} instructions in all`,
    `flash: model ${grouped(b.flashBytes)} B (weights ${grouped(r.flash.weightBytes)} B + code ${grouped(r.flash.codeBytes ?? 0)} B); whole firmware image ${grouped(b.image.flashBytes)} B`,
    `RAM: model ${grouped(b.ramBytes)} B (arena ${grouped(b.arenaBytes)} B, lower bound ${grouped(b.lowerBoundBytes)} B; stack ${grouped(r.ram.stackBytes ?? 0)} B by call graph; static ${grouped(r.ram.staticDataBytes ?? 0)} B); stack measured on the board ${grouped(b.measuredStackBytes)} B; whole image ${grouped(b.image.ramBytes)} B`,
  ].join('\n');
}
