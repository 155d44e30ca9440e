/** Axes given as an attribute (older opsets) or as a constant int64 input (newer ones). */
import { UserError } from '../../errors.ts';

/** Axes made non-negative for a given rank; out of range or repeated axes are the model's error. */
export function normalizeAxes(label: string, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => {
    if (a < -rank || a >= rank) throw new UserError(`${label}: axis ${a} is out of range for rank ${rank}`);
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new UserError(`${label}: axes [${axes}] repeat an axis`);
  return out;
}
