/**
 * TFLite activations with their own quantized arithmetic in TFLM: LEAKY_RELU → TFLiteLeakyRelu
 * (alpha from LeakyReluOptions), HARD_SWISH → TFLiteHardSwish. The input and output may be
 * quantized differently; the ops check what TFLM would reject.
 */
import type { Node } from '../../ir/graph.ts';
import type { OperatorView, TfliteImporter } from './importer.ts';
import { checked, quantizedOperands } from './import-elementwise.ts';

export function importLeakyRelu(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = quantizedOperands(op, importer, 1, ['int8', 'int16']);
  // Absent options mean the schema default, alpha 0 (TFLM reads the same).
  const alpha = op.operator.options('LeakyReluOptions')?.alpha ?? 0;
  return checked(importer, { name: op.name, op: 'TFLiteLeakyRelu', inputs, outputs: [output], attrs: { alpha } });
}

export function importHardSwish(op: OperatorView, importer: TfliteImporter): Node[] {
  const { inputs, output } = quantizedOperands(op, importer, 1);
  return checked(importer, { name: op.name, op: 'TFLiteHardSwish', inputs, outputs: [output], attrs: {} });
}
