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
  /** 'external': the caller's arena, which models that never run at once share (the largest counts). */
  arena?: 'static' | 'external';
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
  const external = models.filter((m) => m.arena === 'external');
  const ownArenas = models.filter((m) => m.arena !== 'external').reduce((s, m) => s + m.arenaBytes, 0);
  add('arena', 'arena', ownArenas + Math.max(0, ...external.map((m) => m.arenaBytes)));
  add('stack', 'stack', board.placement.stackSize);
  add('data', 'heap', board.placement.heapSize);
  return [...uses.values()];
}

/** The parts that are the model's; the others (stack, heap) are what the board file reserves for the firmware around it. */
const MODEL_PARTS = new Set(['weights', 'arena']);

/** "the model's arena 1280, and the stack 2048 and heap 1024 that board 'x' reserves for the firmware". */
export function describeRegionUse(use: RegionUse, board: Board, models = 1): string {
  const list = (entries: [string, number][]) => {
    const items = entries.map(([what, bytes]) => `${what} ${bytes}`);
    return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items[0]!;
  };
  const parts = Object.entries(use.parts).filter(([, bytes]) => bytes > 0);
  const model = parts.filter(([what]) => MODEL_PARTS.has(what));
  const reserved = parts.filter(([what]) => !MODEL_PARTS.has(what));
  return [...(model.length ? [`the ${models === 1 ? "model's" : "models'"} ${list(model)}`] : []), ...(reserved.length ? [`the ${list(reserved)} that board '${board.id}' reserves for the firmware`] : [])].join(', and ');
}

/** Throws one line with the numbers of every region that overflows. */
export function checkFits(board: Board, models: readonly ModelFootprint[], label: string): RegionUse[] {
  const uses = regionUse(board, models);
  const over = uses.filter((u) => u.needed > u.available);
  if (over.length > 0) {
    const detail = over.map((u) => `${u.kind} region ${u.region} needs ${u.needed} bytes but has ${u.available}: ${describeRegionUse(u, board, models.length)}`).join('; ');
    throw new UserError(`${label} does not fit board '${board.id}' before code is even counted: ${detail}`);
  }
  return uses;
}
