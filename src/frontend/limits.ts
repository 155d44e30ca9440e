/**
 * Limits on what a model file may ask for, checked by both frontends as soon as the file is
 * decoded, so a hostile file is refused in moments instead of running every later stage over it.
 * (Tensor sizes are checked once shapes are known: src/passes/check-limits.ts.)
 */
import { UserError } from '../errors.ts';

/**
 * Operators in a model: well beyond any network a microcontroller runs (hundreds), and low enough
 * that every stage stays within seconds (a 10,000-node chain compiles in about 8 s).
 */
export const MAX_NODES = 10_000;

export function checkNodeCount(count: number): void {
  if (count > MAX_NODES) throw new UserError(`the graph has ${count} operators; tinygen compiles at most ${MAX_NODES}`);
}
