/**
 * Graph inputs bound to values at compile time (`--bind NAME=v1,v2,...`): the input becomes a
 * constant of its own declared type and shape. TFLM's TRANSPOSE_CONV tests pass the output shape
 * as an int32 graph input, which tinygen needs constant.
 */
import type { DType, TensorData } from '../ir/graph.ts';
import { elementCount, quantizedRange } from '../ir/graph.ts';
import { UserError } from '../errors.ts';
import { allocate } from '../ops/common/values.ts';

/** Values by graph input name, as the command line gives them. */
export type BoundValues = ReadonlyMap<string, readonly number[]>;

const RANGES: Partial<Record<DType, [number, number]>> = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 53), 2 ** 53] };

/** Parses `--bind` flags: each NAME=v1,v2,... (integers, or numbers for a float input). */
export function parseBindings(flags: readonly string[] | undefined): Map<string, number[]> {
  const bound = new Map<string, number[]>();
  for (const flag of flags ?? []) {
    const at = flag.lastIndexOf('=');
    const [name, list] = [flag.slice(0, at), flag.slice(at + 1)];
    const values = list.split(',').map((v) => Number(v.trim()));
    if (at <= 0 || list.trim() === '' || values.some((v) => !Number.isFinite(v))) {
      throw new UserError(`--bind ${JSON.stringify(flag)}: expected NAME=v1,v2,... (a graph input's name and its values, comma-separated)`);
    }
    if (bound.has(name)) throw new UserError(`--bind: '${name}' is bound twice`);
    bound.set(name, values);
  }
  return bound;
}

/** A bound input's values as its own type: the count must be its element count, and each value must fit. */
export function boundTensorData(values: readonly number[], dtype: DType, shape: readonly number[], label: string): TensorData {
  const count = elementCount(shape);
  if (values.length !== count) throw new UserError(`${label} has shape [${shape}] (${count} values); it is bound to ${values.length}`);
  if (dtype !== 'float32') {
    const [lo, hi] = quantizedRange(dtype) ?? RANGES[dtype]!;
    const bad = values.find((v) => !Number.isInteger(v) || v < lo || v > hi);
    if (bad !== undefined) throw new UserError(`${label} is ${dtype}; its bound value ${bad} is not one`);
  }
  const data = allocate(dtype, count);
  if (data instanceof BigInt64Array) values.forEach((v, i) => (data[i] = BigInt(v)));
  else data.set(values);
  return data;
}
