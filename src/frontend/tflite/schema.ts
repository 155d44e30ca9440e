/**
 * The parts of the TFLite FlatBuffer schema (tensorflow/lite/schema/schema.fbs) tinygen reads,
 * written as field accessors by schema field id. Only what the supported operators need.
 */
import { CorruptFlatBufferError, FlatFile, TableView } from './flat-reader.ts';

export const TFLITE_IDENTIFIER = 'TFL3';

/** TensorType values the importer maps onto IR types. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT16: 7, INT8: 9 } as const;

/** ActivationFunctionType. */
export const Activation = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 } as const;

/** BuiltinOptions union tags of the options tables read here. */
export const BuiltinOptionsType = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  ReducerOptions: 27,
  LeakyReluOptions: 75,
  HardSwishOptions: 91,
  StridedSliceOptions: 32,
} as const;

/** BuiltinOperator codes of the supported operators. */
export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU_N1_TO_1: 20,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  TRANSPOSE: 39,
  MEAN: 40,
  LEAKY_RELU: 98,
  STRIDED_SLICE: 45,
  QUANTIZE: 114,
  HARD_SWISH: 117,
} as const;

/** The Padding enum of conv and pool options. */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** BuiltinOperator names by code, for error messages. */
const BUILTIN_OPERATOR_NAMES = (
  'ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE EMBEDDING_LOOKUP FLOOR ' +
  'FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION ' +
  'LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH ' +
  'CONCAT_EMBEDDINGS SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER ' +
  'BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE ' +
  'BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ' +
  'ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE ' +
  'TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK ' +
  'LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD ' +
  'RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N ' +
  'GATHER_ND COS WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE ' +
  'NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM BATCH_MATMUL ' +
  'PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D IMAG REAL COMPLEX_ABS HASHTABLE ' +
  'HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE ' +
  'BROADCAST_ARGS'
).split(' ');

/**
 * The highest OperatorCode.version of each supported operator: TensorFlow Lite's
 * BuiltinOpResolver (tensorflow/lite/kernels/register.cc, AddBuiltin max_version; tensorflow
 * commit 00b1ec2a). TFLM's resolver ignores versions, so these are the versions whose semantics
 * TFLite defines; a later version may change them (new fields or types). The three models of
 * ../shared/conformance/tflite use FULLY_CONNECTED 4, DEPTHWISE_CONV_2D 3, CONV_2D 2,
 * AVERAGE_POOL_2D 2, SOFTMAX 2 and RESHAPE 1. An operator missing here allows version 1 only
 * (AddBuiltin's default).
 */
const MAX_OPERATOR_VERSIONS: Readonly<Record<string, number>> = {
  ADD: 4,
  AVERAGE_POOL_2D: 3,
  CONCATENATION: 3,
  CONV_2D: 6,
  DEPTHWISE_CONV_2D: 6,
  DEQUANTIZE: 5,
  FULLY_CONNECTED: 9,
  HARD_SWISH: 1,
  LEAKY_RELU: 2,
  LOGISTIC: 3,
  MAX_POOL_2D: 3,
  MEAN: 3,
  MUL: 5,
  PAD: 4,
  QUANTIZE: 3,
  RELU: 3,
  RELU6: 3,
  RELU_N1_TO_1: 1,
  RESHAPE: 1,
  SOFTMAX: 3,
  STRIDED_SLICE: 6,
  TANH: 3,
  TRANSPOSE: 5,
};

export function maxOperatorVersion(code: number): number {
  return MAX_OPERATOR_VERSIONS[builtinOperatorName(code)] ?? 1;
}

export function builtinOperatorName(code: number): string {
  return BUILTIN_OPERATOR_NAMES[code] ?? `BUILTIN_${code}`;
}

/** The root table. */
export class TfliteModel extends TableView {
  /** Parses the root; the caller has checked the file identifier. */
  static fromBytes(bytes: Uint8Array): TfliteModel {
    const file = new FlatFile(bytes);
    return new TfliteModel(file, file.follow(0, 'root table offset'), 'model');
  }

  get version(): number {
    return this.uint32(0);
  }
  get operatorCodes(): OperatorCode[] {
    return this.tableVector(1, (f, p, w) => new OperatorCode(f, p, w), 'operator code');
  }
  get subgraphs(): SubGraph[] {
    return this.tableVector(2, (f, p, w) => new SubGraph(f, p, w), 'subgraph');
  }
  get buffers(): TfliteBuffer[] {
    return this.tableVector(4, (f, p, w) => new TfliteBuffer(f, p, w), 'buffer');
  }
}

export class OperatorCode extends TableView {
  /** The int8 code field models before schema v3a use; 127 means "see builtinCode". */
  get deprecatedBuiltinCode(): number {
    return this.int8(0);
  }
  get customCode(): string {
    return this.string(1);
  }
  get builtinCode(): number {
    return this.int32(3);
  }
  /** The operator's code whichever field holds it (old writers fill only the deprecated one). */
  get code(): number {
    return Math.max(this.builtinCode, this.deprecatedBuiltinCode);
  }
  get version(): number {
    return this.int32(2, 1);
  }
}

export class SubGraph extends TableView {
  get tensors(): TfliteTensor[] {
    return this.tableVector(0, (f, p, w) => new TfliteTensor(f, p, w), 'tensor');
  }
  get inputs(): number[] {
    return this.int32Vector(1);
  }
  get outputs(): number[] {
    return this.int32Vector(2);
  }
  get operators(): Operator[] {
    return this.tableVector(3, (f, p, w) => new Operator(f, p, w), 'operator');
  }
}

export class TfliteTensor extends TableView {
  get shape(): number[] {
    return this.int32Vector(0);
  }
  get type(): number {
    return this.int8(1);
  }
  /** Index into Model.buffers; 0 is the empty buffer of activations. */
  get buffer(): number {
    return this.uint32(2);
  }
  get name(): string {
    return this.string(3);
  }
  get quantization(): QuantizationParameters | undefined {
    const position = this.tablePosition(4);
    return position === undefined ? undefined : new QuantizationParameters(this.file, position, `${this.what} quantization`);
  }
  get isSparse(): boolean {
    return this.has(6);
  }
}

export class QuantizationParameters extends TableView {
  get scale(): number[] {
    return this.float32Vector(2);
  }
  get zeroPoint(): bigint[] {
    return this.int64Vector(3);
  }
  /** Non-zero when a custom quantization scheme is attached. */
  get detailsType(): number {
    return this.uint8(4);
  }
  get quantizedDimension(): number {
    return this.int32(6);
  }
}

export class TfliteBuffer extends TableView {
  /** The buffer's bytes: inline, or (in models over 2 GiB) at an offset of the file past the FlatBuffer. */
  get data(): Uint8Array {
    const inline = this.byteVector(0);
    const offset = this.uint64(1);
    if (inline.length > 0 || offset <= 1n) return inline;
    const [start, size] = [Number(offset), Number(this.uint64(2))];
    this.file.require(start, size, `${this.what} data`);
    return this.file.bytes.subarray(start, start + size);
  }
}

export class Operator extends TableView {
  get opcodeIndex(): number {
    return this.uint32(0);
  }
  /** Tensor indices; -1 marks an absent optional input. */
  get inputs(): number[] {
    return this.int32Vector(1);
  }
  get outputs(): number[] {
    return this.int32Vector(2);
  }
  get builtinOptionsType(): number {
    return this.uint8(3);
  }
  /** The builtin options table when it has the expected union tag; absent options mean all defaults. */
  builtinOptions<T>(tag: number, make: (file: FlatFile, position: number, what: string) => T): T | undefined {
    const position = this.tablePosition(4);
    if (position === undefined) return undefined;
    if (this.builtinOptionsType !== tag) throw new CorruptFlatBufferError(`${this.what}: builtin options of type ${this.builtinOptionsType}, expected ${tag}`);
    return make(this.file, position, `${this.what} options`);
  }
}

export class FullyConnectedOptions extends TableView {
  get fusedActivationFunction(): number {
    return this.int8(0);
  }
  /** 0 = DEFAULT; anything else is a shuffled weight layout. */
  get weightsFormat(): number {
    return this.int8(1);
  }
  get keepNumDims(): boolean {
    return this.bool(2);
  }
  get asymmetricQuantizeInputs(): boolean {
    return this.bool(3);
  }
}

export class SoftmaxOptions extends TableView {
  get beta(): number {
    return this.float32(0);
  }
}

export class ReshapeOptions extends TableView {
  get newShape(): number[] {
    return this.int32Vector(0);
  }
}

export class Conv2DOptions extends TableView {
  get padding(): number {
    return this.int8(0);
  }
  get strideW(): number {
    return this.int32(1);
  }
  get strideH(): number {
    return this.int32(2);
  }
  get fusedActivationFunction(): number {
    return this.int8(3);
  }
  get dilationW(): number {
    return this.int32(4, 1);
  }
  get dilationH(): number {
    return this.int32(5, 1);
  }
}

export class DepthwiseConv2DOptions extends TableView {
  get padding(): number {
    return this.int8(0);
  }
  get strideW(): number {
    return this.int32(1);
  }
  get strideH(): number {
    return this.int32(2);
  }
  get depthMultiplier(): number {
    return this.int32(3);
  }
  get fusedActivationFunction(): number {
    return this.int8(4);
  }
  get dilationW(): number {
    return this.int32(5, 1);
  }
  get dilationH(): number {
    return this.int32(6, 1);
  }
}

export class Pool2DOptions extends TableView {
  get padding(): number {
    return this.int8(0);
  }
  get strideW(): number {
    return this.int32(1);
  }
  get strideH(): number {
    return this.int32(2);
  }
  get filterWidth(): number {
    return this.int32(3);
  }
  get filterHeight(): number {
    return this.int32(4);
  }
  get fusedActivationFunction(): number {
    return this.int8(5);
  }
}

export class ConcatenationOptions extends TableView {
  get axis(): number {
    return this.int32(0);
  }
  get fusedActivationFunction(): number {
    return this.int8(1);
  }
}

/** AddOptions and MulOptions: both start with the fused activation. */
export class ArithmeticOptions extends TableView {
  get fusedActivationFunction(): number {
    return this.int8(0);
  }
}

/** The masks are bit sets over the axes. */
export class StridedSliceOptions extends TableView {
  get beginMask(): number {
    return this.int32(0);
  }
  get endMask(): number {
    return this.int32(1);
  }
  get ellipsisMask(): number {
    return this.int32(2);
  }
  get newAxisMask(): number {
    return this.int32(3);
  }
  get shrinkAxisMask(): number {
    return this.int32(4);
  }
  /** True: end holds sizes added to begin (newer converters), not positions. */
  get offset(): boolean {
    return this.bool(5);
  }
}

export class ReducerOptions extends TableView {
  get keepDims(): boolean {
    return this.bool(0);
  }
}

export class LeakyReluOptions extends TableView {
  get alpha(): number {
    return this.float32(0);
  }
}
