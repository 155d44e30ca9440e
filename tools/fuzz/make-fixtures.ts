/**
 * Writes the minimal models under test/fixtures/hostile/, one per defect the fuzzer found
 * (test/hostile/fixtures.test.ts compiles each through the CLI). Run: npx tsx tools/fuzz/make-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { PACKAGE_ROOT } from '../../src/version.ts';
import { TensorType, BuiltinOperator } from '../../src/frontend/tflite/schema.ts';
import { GraphBuilder } from '../../test/helpers/onnx-builder.ts';
import { arithmeticOptions, buildTflite, type ModelSpec } from '../../test/helpers/tflite-builder.ts';

const { onnx } = onnxProto;
const DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'hostile');

/** x [1,8] int8 -> QLinearLeakyRelu -> y, with its scale and zero point as initializers. */
function onnxBase(): { g: GraphBuilder; scale: string } {
  const g = new GraphBuilder();
  const x = g.input('x', 'int8', [1, 8]);
  const [scale, zero] = [g.scalar(0.1), g.scalar(0, 'int8')];
  const y = g.node('QLinearLeakyRelu', [x, scale, zero, scale, zero], { alpha: { float: 0.1 } }, { domain: 'com.microsoft' })[0]!;
  g.output(g.rename(y, 'y'), 'int8', [1, 8]);
  return { g, scale };
}

function onnxWithOutputs(extra: (scale: string) => string[]): Uint8Array {
  const { g, scale } = onnxBase();
  const model = onnx.ModelProto.decode(g.encode());
  const graph = model.graph!;
  const int8 = (name: string) => ({ name, type: { tensorType: { elemType: 3, shape: { dim: [{ dimValue: 1 }, { dimValue: 8 }] } } } });
  graph.output = [...graph.output!, ...extra(scale).map(int8)];
  return onnx.ModelProto.encode(model).finish();
}

/** x -> QuantizeLinear -> DequantizeLinear -> y, the DequantizeLinear with a dequantized weight as a fourth input. */
function onnxExtraInput(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [1, 8]);
  const [scale, zero] = [g.scalar(0.1), g.scalar(0, 'int8')];
  const q = g.node('QuantizeLinear', [x, scale, zero])[0]!;
  const w = g.node('DequantizeLinear', [g.constant('int8', [1, 8], [1, 2, 3, 4, 5, 6, 7, 8]), scale, zero])[0]!;
  const y = g.node('DequantizeLinear', [q, scale, zero, w])[0]!;
  g.output(g.rename(y, 'y'), 'float32', [1, 8]);
  return g.encode();
}

/** x -> QuantizeLinear -> DequantizeLinear -> y, and a weight's DequantizeLinear as a second output w. */
function onnxDequantizedWeightOutput(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [1, 8]);
  const [scale, zero] = [g.scalar(0.1), g.scalar(0, 'int8')];
  const q = g.node('QuantizeLinear', [x, scale, zero])[0]!;
  const w = g.node('DequantizeLinear', [g.constant('int8', [1, 8], [1, -2, 3, -4, 5, -6, 7, -128]), scale, zero])[0]!;
  const y = g.node('DequantizeLinear', [q, scale, zero])[0]!;
  g.output(g.rename(y, 'y'), 'float32', [1, 8]);
  g.output(g.rename(w, 'w'), 'float32', [1, 8]);
  return g.encode();
}

/** x [1,4] int8 + constant c -> ADD -> y. */
function tfliteBase(): ModelSpec {
  const q = { scale: [0.1], zeroPoint: [0] };
  return {
    tensors: [
      { name: 'x', type: TensorType.INT8, shape: [1, 4], ...q },
      { name: 'y', type: TensorType.INT8, shape: [1, 4], ...q },
      { name: 'c', type: TensorType.INT8, shape: [1, 4], data: Int8Array.from([1, 2, 3, 4]), ...q },
    ],
    operators: [{ code: BuiltinOperator.ADD, inputs: [0, 2], outputs: [1], options: arithmeticOptions('AddOptions', 0) }],
    inputs: [0],
    outputs: [1],
  };
}

const fixtures: Record<string, Uint8Array> = {
  'onnx-base.onnx': onnxWithOutputs(() => []),
  'onnx-output-is-initializer.onnx': onnxWithOutputs((scale) => [scale]),
  'onnx-output-is-input.onnx': onnxWithOutputs(() => ['x']),
  'onnx-output-twice.onnx': onnxWithOutputs(() => ['y']),
  'onnx-dequantize-four-inputs.onnx': onnxExtraInput(),
  'onnx-dequantized-weight-output.onnx': onnxDequantizedWeightOutput(),
  'tflite-base.tflite': buildTflite(tfliteBase()),
  'tflite-output-is-constant.tflite': buildTflite({ ...tfliteBase(), outputs: [1, 2] }),
  'tflite-output-is-input.tflite': buildTflite({ ...tfliteBase(), outputs: [1, 0] }),
  'tflite-output-twice.tflite': buildTflite({ ...tfliteBase(), outputs: [1, 1] }),
  'tflite-input-twice.tflite': buildTflite({ ...tfliteBase(), inputs: [0, 0] }),
};
for (const [file, bytes] of Object.entries(fixtures)) writeFileSync(join(DIR, file), bytes);
console.log(`wrote ${Object.keys(fixtures).length} fixtures to ${DIR}`);
