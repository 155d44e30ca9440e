import { expect } from 'vitest';

/**
 * A bug planted in exactly one layer of tiny_cnn_qop: the first bias literal of step 3
 * (QLinearConv_2, output channel 0) far off, so that conv's output and everything after it differ.
 * For validate's and the trace builds' `mutateSources`. `onlyOnArm`: the literal moves only when
 * compiled for Arm (a board-only divergence, as a cross-compiled kernel bug would give).
 */
/** The generated model's C source among the files validate writes (the header and the harness adapter beside it). */
export function modelSourceEntry(files: Map<string, string>): [string, string] {
  return [...files].find(([f]) => f.endsWith('.c') && f !== 'harness_model.c')!;
}

export function plantBiasBug(files: Map<string, string>, onlyOnArm = false): void {
  const [name, source] = modelSourceEntry(files);
  const delta = onlyOnArm ? 'TG_PLANTED' : '100000';
  let mutated = source.replace(/(_l3_bias\[\d+\] TG_WEIGHTS_SECTION = \{\n\s*)(-?\d+)/, (_, head: string, value: string) => `${head}${value} + ${delta}`);
  if (onlyOnArm) mutated = mutated.replace('#include <stddef.h>', '#ifdef __arm__\n#define TG_PLANTED 100000\n#else\n#define TG_PLANTED 0\n#endif\n#include <stddef.h>');
  expect(mutated).not.toBe(source);
  files.set(name, mutated);
}
