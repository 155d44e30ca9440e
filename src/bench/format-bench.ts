/** A benchmark as terminal text and as a Markdown table row. */
import { basename } from 'node:path';
import type { BenchReport } from './bench.ts';
import type { AgainstReport } from './yardstick/against.ts';
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
  const against = b.against ? ['', againstText(b.against)] : [];
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
    ...against,
  ].join('\n');
}

const ratioText = (n: number | null) => (n === null ? '' : n.toFixed(2));

/** The --against section: per layer, per kind and in total, tinygen beside the yardstick. */
export function againstText(a: AgainstReport): string {
  const head = `against CMSIS-NN ${a.commit} (${a.source}; ${a.cflags.join(' ')}), rounding tflite on both sides: each layer once, per-layer readings on both sides (one hook each)`;
  if (a.failure) return `${head}\nFAIL: ${a.failure}`;
  const layers = textTable({
    header: ['#', 'layer', 'op', 'CMSIS-NN function', 'tinygen', 'CMSIS-NN', 'ratio', 'same bytes'],
    rows: a.layers.map((l) => [
      String(l.index),
      l.node,
      l.op,
      l.cmsisNnFunction ?? `no yardstick: ${l.noYardstick}`,
      grouped(l.tinygenInstructions),
      l.cmsisNnInstructions === null ? '' : grouped(l.cmsisNnInstructions),
      ratioText(l.ratio),
      l.matchesReference === null ? '' : l.matchesReference ? 'yes' : 'NO',
    ]),
    numeric: new Set([0, 4, 5, 6]),
  });
  const kinds = textTable({
    header: ['kind', 'layers', 'tinygen', 'CMSIS-NN', 'ratio'],
    rows: a.byKind.map((k) => [k.kind, String(k.layers), grouped(k.tinygenInstructions), grouped(k.cmsisNnInstructions), ratioText(k.ratio)]),
    numeric: new Set([1, 2, 3, 4]),
  });
  const skipped = a.layers.filter((l) => l.cmsisNnInstructions === null && l.tinygenInstructions > 0).length;
  return [
    head,
    '',
    layers,
    '',
    kinds,
    '',
    `total over the ${a.total.layers} layers with a yardstick: tinygen ${grouped(a.total.tinygenInstructions)}, CMSIS-NN ${grouped(a.total.cmsisNnInstructions)} instructions; ratio (tinygen / CMSIS-NN) ${ratioText(a.total.ratio) || 'n/a'}`,
    `left out (no yardstick): ${skipped} layer${skipped === 1 ? ' that runs' : 's that run'} code, ${grouped(a.notComparedInstructions)} tinygen instructions`,
    `code: tinygen's model ${a.code.tinygenBytes === null ? 'n/a' : `${grouped(a.code.tinygenBytes)} B`} (every layer's kernels and the run function), CMSIS-NN's functions ${grouped(a.code.cmsisNnBytes)} B (the arm_* code the yardstick links)`,
    // A layer whose bytes differ makes the run a failure (against.ts), reported above instead.
    "CMSIS-NN's output equals tinygen's reference on every compared layer (same input): the shapes and quantization are mapped right",
  ].join('\n');
}
