/** ONNX Add, Sub, Mul, Div on float32 (and int8, uint8, int32) tensors, one IR op each, one kernel. */
import { defineOp } from '../op.ts';
import { inferFloatBinary, prepareFloatBinary, type FloatBinaryOp } from './definition.ts';
import { referenceFloatBinary } from './reference.ts';
import { emitFloatBinary } from './emit.ts';

function floatBinaryOp(op: FloatBinaryOp, what: string) {
  return defineOp({
    op,
    summary: `float32 ${what} with numpy broadcasting up to rank 6 (also int8, uint8, int32, wrapping); float ops only`,
    layout: 'fixed',
    // tg_float_binary walks an operand as large as the output index for index (a broadcast
    // operand is smaller, and the planner only reuses an input of the output's byte size).
    inPlace: () => [0, 1],
    infer: inferFloatBinary,
    prepare: prepareFloatBinary,
    reference: referenceFloatBinary,
    emit: emitFloatBinary,
  });
}

export const floatAdd = floatBinaryOp('FloatAdd', 'addition');
export const floatSub = floatBinaryOp('FloatSub', 'subtraction');
export const floatMul = floatBinaryOp('FloatMul', 'multiplication');
export const floatDiv = floatBinaryOp('FloatDiv', 'division (integers: truncating)');
