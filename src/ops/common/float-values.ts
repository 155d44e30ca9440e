/**
 * What the float ops share (src/ops/float-elementwise, float-activation, float-softmax): the element
 * types their kernels take (float32, and for the ops that ONNX also defines on integers, int8,
 * uint8 held as int8 value - 128 after the uint8 rewrite, and int32), NaN stored with one bit
 * pattern in both languages, integer wrap-around, and C pointers to operands of any of those types.
 */
import type { DType, Graph, Node, Tensor } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CType, EmitContext } from '../op.ts';

/** The kernels' element codes (TG_ELEM_* in firmware/kernels/tinygen_kernels.h). */
export const ELEM = { f32: 0, s8: 1, u8: 2, s32: 3 } as const;
export type ElemCode = (typeof ELEM)[keyof typeof ELEM];

/** The C spelling of an element code. */
export const ELEM_C = ['TG_ELEM_F32', 'TG_ELEM_S8', 'TG_ELEM_U8', 'TG_ELEM_S32'] as const;

/**
 * The element code of a tensor type as the model declared it. Shape inference records it in
 * attrs.elem, before the uint8 rewrite turns uint8 tensors into int8 ones (value - 128).
 */
export function elemOf(node: Node, tensor: Tensor, allowed: readonly DType[]): ElemCode {
  if (!allowed.includes(tensor.dtype)) {
    throw new UserError(`node '${node.name}' (${node.op}): input '${tensor.name}' is ${tensor.dtype}; supported: ${allowed.join(', ')}`);
  }
  switch (tensor.dtype) {
    case 'float32':
      return ELEM.f32;
    case 'int8':
      return ELEM.s8;
    case 'uint8':
      return ELEM.u8;
    case 'int32':
      return ELEM.s32;
    default:
      throw new UserError(`node '${node.name}' (${node.op}): type ${tensor.dtype} is not supported`);
  }
}

/** The canonical quiet NaN both languages store (C compilers and JavaScript engines differ in the NaN they produce). */
export const CANONICAL_NAN_BITS = 0x7fc00000;

/** Stores a float32 result, any NaN as CANONICAL_NAN_BITS. */
export function storeFloat(out: Float32Array, bitsView: Uint32Array, index: number, value: number): void {
  if (value !== value) bitsView[index] = CANONICAL_NAN_BITS;
  else out[index] = value;
}

/** A Uint32Array over a Float32Array's bytes, for storeFloat. */
export function bitsOf(data: Float32Array): Uint32Array {
  return new Uint32Array(data.buffer, data.byteOffset, data.length);
}

/** An int32 result wrapped to the stored int8: two's complement for int8, uint8 (then - 128) for uint8. */
export function wrapToStored(elem: ElemCode, r: number): number {
  if (elem === ELEM.u8) return (r & 0xff) - 128;
  if (elem === ELEM.s8) return ((r & 0xff) ^ 0x80) - 0x80;
  return r | 0;
}

/** The value a stored element stands for (uint8: stored + 128). */
export function loadedValue(elem: ElemCode, stored: number): number {
  return elem === ELEM.u8 ? stored + 128 : stored;
}

const CTYPE: Partial<Record<DType, CType>> = { float32: 'float', int8: 'int8_t', int32: 'int32_t' };

/** A C pointer to an operand: its storage, or a constant array of its (stored) type. */
export function anyOperandPointer(graph: Graph, ctx: EmitContext, name: string, suffix: string): string {
  const t = tensorOf(graph, name);
  if (!t.data) return ctx.pointer(name);
  const ctype = CTYPE[t.dtype];
  if (!ctype) throw new Error(`internal: constant '${name}' of type ${t.dtype} in a float op`);
  return ctx.constArray(suffix, ctype, t.data as ArrayLike<number>);
}
