/**
 * The TFLite FlatBuffer schema as tinygen reads it. Every operator code, enum value, options union
 * tag and field id comes from schema-generated.ts, which tools/gen-tflite-schema.ts derives from
 * TFLite's schema.fbs at a pinned version; nothing here restates one. This file adds views of the
 * tables the importer walks (model, subgraph, tensor, buffer, operator) and a reader for any
 * builtin options table by its name.
 */
import { CorruptFlatBufferError, FlatFile, TableView, type FieldSpec, type FieldValue } from './flat-reader.ts';
import { BuiltinOperator, BuiltinOptions, TABLES } from './schema-generated.ts';

export { ActivationFunctionType, BuiltinOperator, BuiltinOptions, FILE_IDENTIFIER as TFLITE_IDENTIFIER, Padding, TensorType, TABLES } from './schema-generated.ts';

type Tables = typeof TABLES;

export type BuiltinOperatorName = keyof typeof BuiltinOperator;

/** The name of a builtin options table (a member of the BuiltinOptions union). */
export type OptionsName = Exclude<keyof typeof BuiltinOptions, 'NONE'> & keyof Tables;

type ValueOf<F> = F extends FieldSpec ? FieldValue<F> : never;

/** An options table's fields that read as values (scalars, strings, vectors of scalars), by their schema names. */
export type Options<N extends OptionsName> = {
  readonly [K in keyof Tables[N] as [ValueOf<Tables[N][K]>] extends [never] ? never : K]: ValueOf<Tables[N][K]>;
};

const OPERATOR_NAMES = new Map((Object.entries(BuiltinOperator) as [BuiltinOperatorName, number][]).map(([name, code]) => [code, name]));

/** The schema's name of an operator code, if it has one. */
export function operatorNameOf(code: number): BuiltinOperatorName | undefined {
  return OPERATOR_NAMES.get(code);
}

export function builtinOperatorName(code: number): string {
  return operatorNameOf(code) ?? `BUILTIN_${code}`;
}

const T = TABLES;

/** The root table. */
export class TfliteModel extends TableView {
  /** Parses the root; the caller has checked the file identifier. */
  static fromBytes(bytes: Uint8Array): TfliteModel {
    const file = new FlatFile(bytes);
    return new TfliteModel(file, file.follow(0, 'root table offset'), 'model');
  }

  get version(): number {
    return this.read(T.Model.version);
  }
  get operatorCodes(): OperatorCode[] {
    return this.tableVector(T.Model.operatorCodes, (f, p, w) => new OperatorCode(f, p, w), 'operator code');
  }
  get subgraphs(): SubGraph[] {
    return this.tableVector(T.Model.subgraphs, (f, p, w) => new SubGraph(f, p, w), 'subgraph');
  }
  get buffers(): TfliteBuffer[] {
    return this.tableVector(T.Model.buffers, (f, p, w) => new TfliteBuffer(f, p, w), 'buffer');
  }
}

export class OperatorCode extends TableView {
  get customCode(): string {
    return this.read(T.OperatorCode.customCode);
  }
  /**
   * The operator's code whichever field holds it: writers before schema v3a fill only the int8
   * deprecated_builtin_code, and newer ones put 127 there ("see builtin_code") for larger codes.
   */
  get code(): number {
    return Math.max(this.read(T.OperatorCode.builtinCode), this.read(T.OperatorCode.deprecatedBuiltinCode));
  }
  get version(): number {
    return this.read(T.OperatorCode.version);
  }
}

export class SubGraph extends TableView {
  get tensors(): TfliteTensor[] {
    return this.tableVector(T.SubGraph.tensors, (f, p, w) => new TfliteTensor(f, p, w), 'tensor');
  }
  get inputs(): number[] {
    return this.read(T.SubGraph.inputs);
  }
  get outputs(): number[] {
    return this.read(T.SubGraph.outputs);
  }
  get operators(): Operator[] {
    return this.tableVector(T.SubGraph.operators, (f, p, w) => new Operator(f, p, w), 'operator');
  }
}

export class TfliteTensor extends TableView {
  get shape(): number[] {
    return this.read(T.Tensor.shape);
  }
  get type(): number {
    return this.read(T.Tensor.type);
  }
  /** Index into Model.buffers; 0 is the empty buffer of activations. */
  get buffer(): number {
    return this.read(T.Tensor.buffer);
  }
  get name(): string {
    return this.read(T.Tensor.name);
  }
  get quantization(): QuantizationParameters | undefined {
    const position = this.tablePosition(T.Tensor.quantization);
    return position === undefined ? undefined : new QuantizationParameters(this.file, position, `${this.what} quantization`);
  }
  get isSparse(): boolean {
    return this.has(T.Tensor.sparsity);
  }
}

export class QuantizationParameters extends TableView {
  get scale(): number[] {
    return this.read(T.QuantizationParameters.scale);
  }
  get zeroPoint(): bigint[] {
    return this.read(T.QuantizationParameters.zeroPoint);
  }
  /** Non-zero when a custom quantization scheme is attached. */
  get detailsType(): number {
    return this.read(T.QuantizationParameters.detailsType);
  }
  get quantizedDimension(): number {
    return this.read(T.QuantizationParameters.quantizedDimension);
  }
}

export class TfliteBuffer extends TableView {
  /** The buffer's bytes: inline, or (in models over 2 GiB) at an offset of the file past the FlatBuffer. */
  get data(): Uint8Array {
    const inline = this.read(T.Buffer.data);
    const offset = this.read(T.Buffer.offset);
    if (inline.length > 0 || offset <= 1n) return inline;
    const [start, size] = [Number(offset), Number(this.read(T.Buffer.size))];
    this.file.require(start, size, `${this.what} data`);
    return this.file.bytes.subarray(start, start + size);
  }
}

export class Operator extends TableView {
  get opcodeIndex(): number {
    return this.read(T.Operator.opcodeIndex);
  }
  /** Tensor indices; -1 marks an absent optional input. */
  get inputs(): number[] {
    return this.read(T.Operator.inputs);
  }
  get outputs(): number[] {
    return this.read(T.Operator.outputs);
  }
  get builtinOptionsType(): number {
    return this.read(T.Operator.builtinOptionsType);
  }
  /**
   * The builtin options table `name`, every value field read (absent ones give the schema
   * default); undefined when the operator has no options table, which means all defaults. Options
   * under another union tag are a corrupt file.
   */
  options<N extends OptionsName>(name: N): Options<N> | undefined {
    const position = this.tablePosition(T.Operator.builtinOptions);
    if (position === undefined) return undefined;
    const tag = BuiltinOptions[name];
    if (this.builtinOptionsType !== tag) throw new CorruptFlatBufferError(`${this.what}: builtin options of type ${this.builtinOptionsType}, expected ${tag}`);
    const view = new TableView(this.file, position, `${this.what} options`);
    const fields: Record<string, FieldSpec> = TABLES[name];
    const values = Object.entries(fields).filter(([, field]) => isValueField(field)).map(([key, field]) => [key, view.read(field)]);
    return Object.fromEntries(values) as Options<N>;
  }
}

/** Fields `TableView.read` gives a value for: all but sub-tables, unions and vectors of them or of strings. */
export function isValueField(field: FieldSpec): boolean {
  return !['table', '[table]', 'union', '[string]'].includes(field.type);
}
