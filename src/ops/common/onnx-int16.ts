/**
 * int16 QDQ compute ops from ONNX (attrs.onnx_int16_qdq names the ONNX op: 'Conv', 'Add', 'Mul').
 * tinygen imports them as TFLite's 16x8 ops, whose arithmetic is TFLM's. ONNX Runtime fuses only
 * 8-bit QDQ and runs an int16 pattern as a float op between DequantizeLinear and QuantizeLinear,
 * which tinygen does not reproduce; so in onnx rounding such a node is refused with one line.
 */
import type { Node } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import type { CompileOptions } from '../op.ts';

export function refuseOnnxInt16InOnnxRounding(node: Node, options: CompileOptions): void {
  const onnxOp = node.attrs.onnx_int16_qdq;
  if (typeof onnxOp !== 'string' || options.rounding === 'tflite') return;
  throw new UserError(
    `node '${node.name}' (${node.op}): int16 QDQ ${onnxOp} runs in float in ONNX Runtime; compile with --rounding tflite for TFLite's 16x8 arithmetic`,
  );
}
