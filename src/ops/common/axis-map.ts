/**
 * Data movement by per-axis index maps: every output element reads the input element whose
 * offset is the sum, over the output's axes, of a per-axis offset computed at compile time
 * (index * input stride), or a fill value when any axis maps outside the input. Pad (all modes),
 * Resize (nearest), and a Transpose that also requantizes are all this one kernel
 * (firmware/kernels/tg_axis_map.c), with an optional int8 requantization table on the way.
 */
import type { DType, TensorData } from '../../ir/graph.ts';
import { dtypeBytes, elementCount } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CType, EmitContext, Value } from '../op.ts';
import { allocate } from './values.ts';

/** The kernel's limit on the number of axes. */
export const AXIS_MAP_MAX_RANK = 6;

export interface AxisMap {
  outShape: number[];
  /** Per output axis, for each index along it, the input element offset it contributes, or -1. */
  offsets: number[][];
  /** The value (in the output's type) of elements that map outside the input. */
  fill: number;
  /** int8 only: 256 entries indexed by value + 128, applied to every copied element. */
  table?: Int8Array;
}

/** Element strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

export function checkAxisMapRank(label: string, rank: number): void {
  if (rank < 1 || rank > AXIS_MAP_MAX_RANK) throw new UserError(`${label}: rank ${rank} is outside the supported 1..${AXIS_MAP_MAX_RANK}`);
}

export function referenceAxisMap(p: AxisMap, x: Value, dtype: DType): Value {
  const out = allocate(dtype, elementCount(p.outShape));
  const input = x.data as Exclude<TensorData, BigInt64Array>;
  const output = out as Exclude<TensorData, BigInt64Array>;
  const rank = p.outShape.length;
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < output.length; o++) {
    let offset = 0;
    let outside = false;
    for (let d = 0; d < rank; d++) {
      const m = p.offsets[d]![index[d]!]!;
      if (m < 0) outside = true;
      offset += m;
    }
    if (outside) output[o] = p.fill;
    else output[o] = p.table ? p.table[input[offset]! + 128]! : input[offset]!;
    for (let d = rank - 1; d >= 0 && ++index[d]! === p.outShape[d]; d--) index[d] = 0;
  }
  return { dtype, shape: [...p.outShape], data: out };
}

const CTYPES: Partial<Record<DType, CType>> = { int8: 'int8_t', uint8: 'uint8_t', int16: 'int16_t', int32: 'int32_t', float32: 'float' };

/** One tg_axis_map call; its constant arrays are declared through ctx. */
export function emitAxisMap(ctx: EmitContext, p: AxisMap, dtype: DType, input: string, output: string): string {
  const ctype = CTYPES[dtype];
  if (!ctype) throw new Error(`internal: tg_axis_map cannot move ${dtype} elements`);
  const offsets = ctx.constArray('offsets', 'int32_t', p.offsets.flat());
  const fill = ctx.constArray('fill', ctype, [p.fill]);
  const table = p.table ? ctx.constArray('table', 'int8_t', p.table) : 'NULL';
  const shape = [...p.outShape, ...new Array<number>(AXIS_MAP_MAX_RANK).fill(0)].slice(0, AXIS_MAP_MAX_RANK);
  const params = ctx.constStruct('map', 'tg_axis_map_t', `{ ${p.outShape.length}, ${dtypeBytes(dtype)}, { ${shape.join(', ')} }, ${offsets}, ${fill}, ${table} }`);
  return `tg_axis_map(&${params}, ${input}, ${output});`;
}

/** The axis map of a transpose: output axis d walks input axis perm[d]. */
export function transposeAxisMap(inShape: readonly number[], perm: readonly number[]): AxisMap {
  const strides = stridesOf(inShape);
  const outShape = perm.map((a) => inShape[a]!);
  return { outShape, offsets: perm.map((a) => Array.from({ length: inShape[a]! }, (_, i) => i * strides[a]!)), fill: 0 };
}
