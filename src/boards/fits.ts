/**
 * Does a model fit a board? Checked before anything is built, from what the compiler knows:
 * the weights (constants) in the weights region, the arena in the arena region, and the stack
 * and heap the board reserves. Code is only known after linking; the linker checks it then.
 */
import { UserError } from '../errors.ts';
import type { Board } from './board.ts';
import { placementRegion } from './board.ts';

export interface ModelFootprint {
  /** Bytes of constant data (weights, biases, tables). */
  constantBytes: number;
  arenaBytes: number;
}

export interface RegionUse {
  region: string;
  kind: 'flash' | 'ram';
  available: number;
  needed: number;
  /** What the needed bytes are made of. */
  parts: Record<string, number>;
}

export function regionUse(board: Board, models: readonly ModelFootprint[]): RegionUse[] {
  const uses = new Map<string, RegionUse>();
  const add = (role: 'weights' | 'arena' | 'stack' | 'data', what: string, bytes: number) => {
    const region = placementRegion(board, role);
    const use = uses.get(region.name) ?? { region: region.name, kind: region.kind, available: region.length, needed: 0, parts: {} };
    use.needed += bytes;
    use.parts[what] = (use.parts[what] ?? 0) + bytes;
    uses.set(region.name, use);
  };
  add('weights', 'weights', models.reduce((s, m) => s + m.constantBytes, 0));
  add('arena', 'arena', models.reduce((s, m) => s + m.arenaBytes, 0));
  add('stack', 'stack', board.placement.stackSize);
  add('data', 'heap', board.placement.heapSize);
  return [...uses.values()];
}

const formatParts = (parts: Record<string, number>) =>
  Object.entries(parts)
    .filter(([, bytes]) => bytes > 0)
    .map(([what, bytes]) => `${what} ${bytes}`)
    .join(' + ');

/** Throws one line with the numbers of every region that overflows. */
export function checkFits(board: Board, models: readonly ModelFootprint[], label: string): RegionUse[] {
  const uses = regionUse(board, models);
  const over = uses.filter((u) => u.needed > u.available);
  if (over.length > 0) {
    const detail = over.map((u) => `${u.kind} region ${u.region} needs ${u.needed} bytes (${formatParts(u.parts)}) but has ${u.available}`).join('; ');
    throw new UserError(`${label} does not fit board '${board.id}' before code is even counted: ${detail}`);
  }
  return uses;
}
