/**
 * Builds small .tflite files in TypeScript with flatbuffers' Builder, so the TFLite tests need no
 * converter. Every field id, union tag and operator code comes from the importer's schema
 * (src/frontend/tflite/schema.ts); only the fields the importer reads are written.
 */
import { Builder } from 'flatbuffers';
import type { FieldSpec } from '../../src/frontend/tflite/flat-reader.ts';
import { BuiltinOperator, BuiltinOptions, TABLES, TFLITE_IDENTIFIER, type Options, type OptionsName } from '../../src/frontend/tflite/schema.ts';

export interface TensorSpec {
  name: string;
  /** A TensorType value (TensorType.INT8, INT32, FLOAT32, ...). */
  type: number;
  shape: number[];
  /** Written little-endian as the file's buffer, whatever the element type. */
  data?: Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export interface OperatorSpec {
  /** A BuiltinOperator code. */
  code: number;
  inputs: number[];
  outputs: number[];
  /** FullyConnectedOptions.fused_activation_function (FULLY_CONNECTED only). */
  fusedActivation?: number;
  /** Any other builtin options table, as `options` writes it. */
  options?: OptionsSpec;
  /** OperatorCode.version of this operator's code (default 1; the first operator of a code sets it). */
  version?: number;
}

/** A builtin options table: its union tag and its scalar fields by schema id. */
export interface OptionsSpec {
  type: number;
  fields: { field: FieldSpec; value: number }[];
}

/** The numeric and boolean fields of an options table, all optional. */
export type ScalarOptions<N extends OptionsName> = { [K in keyof Options<N> as Options<N>[K] extends number | boolean ? K : never]?: Options<N>[K] };

/** Options table `name` with the given fields, each written even when it equals the schema default. */
export function options<N extends OptionsName>(name: N, values: ScalarOptions<N>): OptionsSpec {
  const table: Record<string, FieldSpec> = TABLES[name];
  const fields = Object.entries(values).map(([key, value]) => ({ field: table[key]!, value: Number(value) }));
  return { type: BuiltinOptions[name], fields: fields.sort((a, b) => a.field.id - b.field.id) };
}

/** Conv2DOptions; stride and dilation are [h, w]. */
export function conv2dOptions(o: { padding: number; stride: [number, number]; activation?: number; dilation?: [number, number] }): OptionsSpec {
  const [dh, dw] = o.dilation ?? [1, 1];
  return options('Conv2DOptions', { padding: o.padding, strideW: o.stride[1], strideH: o.stride[0], fusedActivationFunction: o.activation ?? 0, dilationWFactor: dw, dilationHFactor: dh });
}

/** DepthwiseConv2DOptions; stride and dilation are [h, w]. */
export function depthwiseOptions(o: { padding: number; stride: [number, number]; multiplier: number; activation?: number; dilation?: [number, number] }): OptionsSpec {
  const [dh, dw] = o.dilation ?? [1, 1];
  return options('DepthwiseConv2DOptions', {
    padding: o.padding,
    strideW: o.stride[1],
    strideH: o.stride[0],
    depthMultiplier: o.multiplier,
    fusedActivationFunction: o.activation ?? 0,
    dilationWFactor: dw,
    dilationHFactor: dh,
  });
}

/** Pool2DOptions; stride and filter are [h, w]. */
export function pool2dOptions(o: { padding: number; stride: [number, number]; filter: [number, number]; activation?: number }): OptionsSpec {
  return options('Pool2DOptions', {
    padding: o.padding,
    strideW: o.stride[1],
    strideH: o.stride[0],
    filterWidth: o.filter[1],
    filterHeight: o.filter[0],
    fusedActivationFunction: o.activation ?? 0,
  });
}

/** AddOptions or MulOptions with a fused activation. */
export function arithmeticOptions(name: 'AddOptions' | 'MulOptions', activation: number): OptionsSpec {
  return options(name, { fusedActivationFunction: activation });
}

export function concatenationOptions(axis: number, activation = 0): OptionsSpec {
  return options('ConcatenationOptions', { axis, fusedActivationFunction: activation });
}

export function reducerOptions(keepDims: boolean): OptionsSpec {
  return options('ReducerOptions', { keepDims });
}

/** StridedSliceOptions, every mask 0 and offset false unless given. */
export function stridedSliceOptions(o: ScalarOptions<'StridedSliceOptions'>): OptionsSpec {
  return options('StridedSliceOptions', { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false, ...o });
}

export function leakyReluOptions(alpha: number): OptionsSpec {
  return options('LeakyReluOptions', { alpha });
}

/** One more than a table's highest field id: the vtable size startObject needs. */
const fieldCount = (table: Record<string, FieldSpec>) => Math.max(...Object.values(table).map((f) => f.id)) + 1;

function writeOptions(b: Builder, o: OptionsSpec): number {
  b.startObject(Math.max(...o.fields.map((f) => f.field.id)) + 1);
  for (const { field, value } of o.fields) {
    // Forced (no default elision), so a test can write a value equal to the schema default.
    if (field.type === 'int32' || field.type === 'uint32') b.addFieldInt32(field.id, value, null);
    else if (field.type === 'float32') b.addFieldFloat32(field.id, value, null);
    else if (field.type === 'int8' || field.type === 'uint8' || field.type === 'bool') b.addFieldInt8(field.id, value, null);
    else throw new Error(`options field ${field.id}: writing ${field.type} is not implemented`);
  }
  return b.endObject();
}

export interface ModelSpec {
  tensors: TensorSpec[];
  operators: OperatorSpec[];
  inputs: number[];
  outputs: number[];
}

const T = TABLES;

function intVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function quantization(b: Builder, t: TensorSpec): number {
  b.startVector(4, t.scale!.length, 4);
  for (let i = t.scale!.length - 1; i >= 0; i--) b.addFloat32(t.scale![i]!);
  const scale = b.endVector();
  const zeroPoints = t.zeroPoint ?? t.scale!.map(() => 0);
  b.startVector(8, zeroPoints.length, 8);
  for (let i = zeroPoints.length - 1; i >= 0; i--) b.addInt64(BigInt(zeroPoints[i]!));
  const zeroPoint = b.endVector();
  b.startObject(fieldCount(T.QuantizationParameters));
  b.addFieldOffset(T.QuantizationParameters.scale.id, scale, 0);
  b.addFieldOffset(T.QuantizationParameters.zeroPoint.id, zeroPoint, 0);
  b.addFieldInt32(T.QuantizationParameters.quantizedDimension.id, t.quantizedDimension ?? 0, 0);
  return b.endObject();
}

export function buildTflite(spec: ModelSpec): Uint8Array {
  const b = new Builder(1024);
  // Buffer 0 is the empty buffer every activation points to; constants get one buffer each.
  const bufferData: Uint8Array[] = [new Uint8Array(0)];
  const bufferOf = spec.tensors.map((t) => {
    if (!t.data) return 0;
    bufferData.push(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return bufferData.length - 1;
  });
  const tensors = spec.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    const quant = t.scale ? quantization(b, t) : 0;
    b.startObject(fieldCount(T.Tensor));
    b.addFieldOffset(T.Tensor.shape.id, shape, 0);
    b.addFieldInt8(T.Tensor.type.id, t.type, null); // written even when 0 (FLOAT32), as converters do
    b.addFieldInt32(T.Tensor.buffer.id, bufferOf[i]!, 0);
    b.addFieldOffset(T.Tensor.name.id, name, 0);
    if (quant) b.addFieldOffset(T.Tensor.quantization.id, quant, 0);
    return b.endObject();
  });
  const codes = [...new Set(spec.operators.map((op) => op.code))];
  const operators = spec.operators.map((op) => {
    const inputs = intVector(b, op.inputs);
    const outputs = intVector(b, op.outputs);
    let options = 0;
    let optionsType = 0;
    if (op.options) {
      options = writeOptions(b, op.options);
      optionsType = op.options.type;
    } else if (op.code === BuiltinOperator.FULLY_CONNECTED) {
      b.startObject(fieldCount(T.FullyConnectedOptions));
      b.addFieldInt8(T.FullyConnectedOptions.fusedActivationFunction.id, op.fusedActivation ?? 0, 0);
      options = b.endObject();
      optionsType = BuiltinOptions.FullyConnectedOptions;
    }
    b.startObject(fieldCount(T.Operator));
    b.addFieldInt32(T.Operator.opcodeIndex.id, codes.indexOf(op.code), 0);
    b.addFieldOffset(T.Operator.inputs.id, inputs, 0);
    b.addFieldOffset(T.Operator.outputs.id, outputs, 0);
    if (options) {
      b.addFieldInt8(T.Operator.builtinOptionsType.id, optionsType, 0);
      b.addFieldOffset(T.Operator.builtinOptions.id, options, 0);
    }
    return b.endObject();
  });
  const subgraphTensors = offsetVector(b, tensors);
  const subgraphOperators = offsetVector(b, operators);
  const inputs = intVector(b, spec.inputs);
  const outputs = intVector(b, spec.outputs);
  b.startObject(fieldCount(T.SubGraph));
  b.addFieldOffset(T.SubGraph.tensors.id, subgraphTensors, 0);
  b.addFieldOffset(T.SubGraph.inputs.id, inputs, 0);
  b.addFieldOffset(T.SubGraph.outputs.id, outputs, 0);
  b.addFieldOffset(T.SubGraph.operators.id, subgraphOperators, 0);
  const subgraph = b.endObject();
  const operatorCodes = codes.map((code) => {
    b.startObject(fieldCount(T.OperatorCode));
    b.addFieldInt8(T.OperatorCode.deprecatedBuiltinCode.id, Math.min(code, 127), 0); // 127: the code needs the wider builtin_code field
    b.addFieldInt32(T.OperatorCode.version.id, spec.operators.find((op) => op.code === code)!.version ?? 1, T.OperatorCode.version.default);
    b.addFieldInt32(T.OperatorCode.builtinCode.id, code, 0);
    return b.endObject();
  });
  const buffers = bufferData.map((data) => {
    const bytes = data.length ? b.createByteVector(data) : 0;
    b.startObject(fieldCount(T.Buffer));
    if (bytes) b.addFieldOffset(T.Buffer.data.id, bytes, 0);
    return b.endObject();
  });
  const operatorCodesVector = offsetVector(b, operatorCodes);
  const subgraphs = offsetVector(b, [subgraph]);
  const buffersVector = offsetVector(b, buffers);
  b.startObject(fieldCount(T.Model));
  b.addFieldInt32(T.Model.version.id, 3, 0);
  b.addFieldOffset(T.Model.operatorCodes.id, operatorCodesVector, 0);
  b.addFieldOffset(T.Model.subgraphs.id, subgraphs, 0);
  b.addFieldOffset(T.Model.buffers.id, buffersVector, 0);
  b.finish(b.endObject(), TFLITE_IDENTIFIER);
  return b.asUint8Array();
}
