/**
 * Builds small .tflite files in TypeScript with flatbuffers' Builder, field by schema id, so the
 * TFLite tests need no converter. Only the fields the importer reads.
 */
import { Builder } from 'flatbuffers';

export interface TensorSpec {
  name: string;
  /** TensorType code (INT8 = 9, INT32 = 2, FLOAT32 = 0). */
  type: number;
  shape: number[];
  data?: Int8Array | Int32Array | Float32Array;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export interface OperatorSpec {
  /** BuiltinOperator code. */
  code: number;
  inputs: number[];
  outputs: number[];
  /** FullyConnectedOptions.fused_activation_function (FULLY_CONNECTED only). */
  fusedActivation?: number;
  /** Any other builtin options table: its union tag and its scalar fields by schema id. */
  options?: OptionsSpec;
  /** OperatorCode.version of this operator's code (default 1; the first operator of a code sets it). */
  version?: number;
}

export interface OptionsSpec {
  /** BuiltinOptions union tag (Conv2DOptions = 1, DepthwiseConv2DOptions = 2, Pool2DOptions = 5, ...). */
  type: number;
  fields: { id: number; kind: 'int8' | 'int32' | 'float32'; value: number }[]; // bools are int8 0 / 1
}

/** Conv2DOptions: padding (0 SAME, 1 VALID), strides, activation, dilations. */
export function conv2dOptions(o: { padding: number; stride: [number, number]; activation?: number; dilation?: [number, number] }): OptionsSpec {
  const [dh, dw] = o.dilation ?? [1, 1];
  return {
    type: 1,
    fields: [
      { id: 0, kind: 'int8', value: o.padding },
      { id: 1, kind: 'int32', value: o.stride[1] },
      { id: 2, kind: 'int32', value: o.stride[0] },
      { id: 3, kind: 'int8', value: o.activation ?? 0 },
      { id: 4, kind: 'int32', value: dw },
      { id: 5, kind: 'int32', value: dh },
    ],
  };
}

/** DepthwiseConv2DOptions. */
export function depthwiseOptions(o: { padding: number; stride: [number, number]; multiplier: number; activation?: number; dilation?: [number, number] }): OptionsSpec {
  const [dh, dw] = o.dilation ?? [1, 1];
  return {
    type: 2,
    fields: [
      { id: 0, kind: 'int8', value: o.padding },
      { id: 1, kind: 'int32', value: o.stride[1] },
      { id: 2, kind: 'int32', value: o.stride[0] },
      { id: 3, kind: 'int32', value: o.multiplier },
      { id: 4, kind: 'int8', value: o.activation ?? 0 },
      { id: 5, kind: 'int32', value: dw },
      { id: 6, kind: 'int32', value: dh },
    ],
  };
}

/** Pool2DOptions. */
export function pool2dOptions(o: { padding: number; stride: [number, number]; filter: [number, number]; activation?: number }): OptionsSpec {
  return {
    type: 5,
    fields: [
      { id: 0, kind: 'int8', value: o.padding },
      { id: 1, kind: 'int32', value: o.stride[1] },
      { id: 2, kind: 'int32', value: o.stride[0] },
      { id: 3, kind: 'int32', value: o.filter[1] },
      { id: 4, kind: 'int32', value: o.filter[0] },
      { id: 5, kind: 'int8', value: o.activation ?? 0 },
    ],
  };
}

/** AddOptions (tag 11) or MulOptions (tag 21) with a fused activation. */
export function arithmeticOptions(type: 11 | 21, activation: number): OptionsSpec {
  return { type, fields: [{ id: 0, kind: 'int8', value: activation }] };
}

/** ConcatenationOptions (tag 10). */
export function concatenationOptions(axis: number, activation = 0): OptionsSpec {
  return { type: 10, fields: [{ id: 0, kind: 'int32', value: axis }, { id: 1, kind: 'int8', value: activation }] };
}

/** ReducerOptions (tag 27). */
export function reducerOptions(keepDims: boolean): OptionsSpec {
  return { type: 27, fields: [{ id: 0, kind: 'int8', value: keepDims ? 1 : 0 }] };
}

/** LeakyReluOptions (tag 75): alpha, float32. */
export function leakyReluOptions(alpha: number): OptionsSpec {
  return { type: 75, fields: [{ id: 0, kind: 'float32', value: alpha }] };
}

function writeOptions(b: Builder, o: OptionsSpec): number {
  b.startObject(Math.max(...o.fields.map((f) => f.id)) + 1);
  for (const f of o.fields) {
    // Forced (no default elision), so a test can write a value equal to the schema default.
    if (f.kind === 'int32') b.addFieldInt32(f.id, f.value, null);
    else if (f.kind === 'float32') b.addFieldFloat32(f.id, f.value, null);
    else b.addFieldInt8(f.id, f.value, null);
  }
  return b.endObject();
}

export interface ModelSpec {
  tensors: TensorSpec[];
  operators: OperatorSpec[];
  inputs: number[];
  outputs: number[];
}

const FULLY_CONNECTED = 9;
const FULLY_CONNECTED_OPTIONS = 8;

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
  b.startObject(7);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  b.addFieldInt32(6, t.quantizedDimension ?? 0, 0);
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
    b.startObject(8);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, null); // written even when 0 (FLOAT32), as converters do
    b.addFieldInt32(2, bufferOf[i]!, 0);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
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
    } else if (op.code === FULLY_CONNECTED) {
      b.startObject(5);
      b.addFieldInt8(0, op.fusedActivation ?? 0, 0);
      options = b.endObject();
      optionsType = FULLY_CONNECTED_OPTIONS;
    }
    b.startObject(5);
    b.addFieldInt32(0, codes.indexOf(op.code), 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (options) {
      b.addFieldInt8(3, optionsType, 0);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });
  const subgraphTensors = offsetVector(b, tensors);
  const subgraphOperators = offsetVector(b, operators);
  const inputs = intVector(b, spec.inputs);
  const outputs = intVector(b, spec.outputs);
  b.startObject(5);
  b.addFieldOffset(0, subgraphTensors, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, subgraphOperators, 0);
  const subgraph = b.endObject();
  const operatorCodes = codes.map((code) => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(code, 127), 0); // 127: the code needs the wider builtin_code field
    b.addFieldInt32(2, spec.operators.find((op) => op.code === code)!.version ?? 1, 1);
    b.addFieldInt32(3, code, 0);
    return b.endObject();
  });
  const buffers = bufferData.map((data) => {
    const bytes = data.length ? b.createByteVector(data) : 0;
    b.startObject(3);
    if (bytes) b.addFieldOffset(0, bytes, 0);
    return b.endObject();
  });
  const operatorCodesVector = offsetVector(b, operatorCodes);
  const subgraphs = offsetVector(b, [subgraph]);
  const buffersVector = offsetVector(b, buffers);
  b.startObject(5);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, operatorCodesVector, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, buffersVector, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}
