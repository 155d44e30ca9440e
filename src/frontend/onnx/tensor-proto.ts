/** Decodes ONNX TensorProtos (initializers and test data) in every encoding ONNX allows. */
import onnxProto from 'onnx-proto';
import type { DType, Tensor, TensorData } from '../../ir/graph.ts';
import { elementCount } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';

const { onnx } = onnxProto;
export type TensorProto = onnxProto.onnx.ITensorProto;

type Int64Like = number | { toNumber(): number };

export function int64ToNumber(value: Int64Like | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

const DTYPE_BY_CODE: Record<number, DType> = {
  [onnx.TensorProto.DataType.FLOAT]: 'float32',
  [onnx.TensorProto.DataType.UINT8]: 'uint8',
  [onnx.TensorProto.DataType.INT8]: 'int8',
  [onnx.TensorProto.DataType.INT16]: 'int16',
  [onnx.TensorProto.DataType.INT32]: 'int32',
  [onnx.TensorProto.DataType.INT64]: 'int64',
};

export function dtypeFromOnnx(code: number, what: string): DType {
  const dtype = DTYPE_BY_CODE[code];
  if (!dtype) {
    const name = onnx.TensorProto.DataType[code] ?? `code ${code}`;
    throw new UserError(`${what}: element type ${name} is not supported (supported: float32, uint8, int8, int16, int32, int64)`);
  }
  return dtype;
}

function fromRaw(dtype: DType, raw: Uint8Array, count: number): TensorData {
  // Copy into an aligned buffer: raw_data is little-endian and may sit at any offset.
  const bytes = new Uint8Array(raw); // a copy: Buffer.slice() would share the pool
  switch (dtype) {
    case 'int8':
      return new Int8Array(bytes.buffer, 0, count);
    case 'uint8':
      return new Uint8Array(bytes.buffer, 0, count);
    case 'int16':
      return new Int16Array(bytes.buffer, 0, count);
    case 'int32':
      return new Int32Array(bytes.buffer, 0, count);
    case 'float32':
      return new Float32Array(bytes.buffer, 0, count);
    case 'int64':
      return new BigInt64Array(bytes.buffer, 0, count);
  }
}

function fromFields(dtype: DType, proto: TensorProto): TensorData {
  switch (dtype) {
    case 'int8':
      return Int8Array.from(proto.int32Data ?? []);
    case 'uint8':
      return Uint8Array.from(proto.int32Data ?? []);
    case 'int16':
      return Int16Array.from(proto.int32Data ?? []);
    case 'int32':
      return Int32Array.from(proto.int32Data ?? []);
    case 'float32':
      return Float32Array.from(proto.floatData ?? []);
    case 'int64':
      return BigInt64Array.from((proto.int64Data ?? []).map((v) => BigInt(int64ToNumber(v))));
  }
}

const BYTES: Record<DType, number> = { int8: 1, uint8: 1, int16: 2, int32: 4, float32: 4, int64: 8 };

/** A TensorProto as an IR constant. `what` names it in errors (e.g. "initializer 'w'"). */
export function decodeTensorProto(proto: TensorProto, what: string): Tensor {
  const name = proto.name ?? '';
  if (proto.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new UserError(`${what}: external data is not supported; save the model with its tensors inside the file`);
  }
  const dtype = dtypeFromOnnx(proto.dataType ?? 0, what);
  const shape = (proto.dims ?? []).map(int64ToNumber);
  const count = elementCount(shape);
  const raw = proto.rawData;
  let data: TensorData;
  if (raw && raw.length > 0) {
    if (raw.length !== count * BYTES[dtype]) {
      throw new UserError(`${what}: raw_data holds ${raw.length} bytes but shape [${shape}] of ${dtype} needs ${count * BYTES[dtype]}`);
    }
    data = fromRaw(dtype, raw, count);
  } else {
    data = fromFields(dtype, proto);
    if (data.length !== count) {
      throw new UserError(`${what}: holds ${data.length} values but shape [${shape}] needs ${count}`);
    }
  }
  return { name, dtype, shape, data };
}

/** Reads a serialized TensorProto (an ONNX test-data .pb file). */
export function readTensorProtoBytes(bytes: Uint8Array, what: string): Tensor {
  let proto: TensorProto;
  try {
    proto = onnx.TensorProto.decode(bytes);
  } catch (err) {
    throw new UserError(`${what}: not a TensorProto (${(err as Error).message})`);
  }
  return decodeTensorProto(proto, what);
}
