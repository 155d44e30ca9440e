/** The fuzzer's seeded choices, on top of src/util/random.ts's PRNG. */
import { seededRandom } from '../../src/util/random.ts';

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Dimensions a careless or hostile producer writes. */
export const HOSTILE_DIMS = [0, -1, -3, 1, 2, 3, 7, 255, 65_535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 53];
/** Scales: zero, negative, NaN, infinite, denormal, huge, tiny. */
export const HOSTILE_SCALES = [0, -0, -1, -0.05, NaN, Infinity, -Infinity, 1e-45, 1e-40, 1e-38, 3e38, 1e30, 1e-20, 1, 1e6];
/** Zero points inside and outside int8 / uint8 ranges. */
export const HOSTILE_ZERO_POINTS = [-129, -128, -1, 0, 127, 128, 255, 256, 100_000, -100_000, 2 ** 31 - 1, -(2 ** 31)];
/** Names with control, bidi, zero-width, line-separator and C-comment characters. */
export const HOSTILE_NAMES = [
  '',
  'in\u202eput',
  'a\u2066b\u2069',
  'x\u200by',
  'line\u2028sep',
  'nl\nname',
  'cr\rname',
  'nul\u0000name',
  'tab\tname',
  'end */ comment',
  '/* open',
  'back\\slash',
  '"quoted"',
  '??=trigraph',
  '1starts_with_digit',
  'int',
  'ünïcødé',
  '\u061c',
  'x'.repeat(5000),
];
