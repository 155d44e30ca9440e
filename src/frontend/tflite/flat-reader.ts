/**
 * Bounds-checked FlatBuffer table reading on top of flatbuffers' ByteBuffer. ByteBuffer itself
 * reads past the end silently (as zeros), so a truncated or corrupt file would turn into a
 * plausible-looking model; every offset here is checked against the file before it is read.
 */
import { ByteBuffer } from 'flatbuffers';
import { UserError } from '../../errors.ts';

/** A file whose structure does not hold together: truncated, or not a FlatBuffer at all. */
export class CorruptFlatBufferError extends UserError {}

export class FlatFile {
  readonly bb: ByteBuffer;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
  }

  require(offset: number, size: number, what: string): void {
    if (!Number.isInteger(offset) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
      throw new CorruptFlatBufferError(`truncated or corrupt: ${what} (bytes ${offset}..${offset + size}) lies outside the ${this.bytes.length}-byte file`);
    }
  }

  /** The absolute position a uoffset_t at `offset` points to. */
  follow(offset: number, what: string): number {
    this.require(offset, 4, what);
    return offset + this.bb.readUint32(offset);
  }

  /** Four bytes after the root offset: the file identifier ("TFL3" for TFLite). */
  identifier(): string {
    if (this.bytes.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }
}

/** FlatBuffers scalar types, named by their width. */
export type ScalarType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/** One field of a schema table, as schema-generated.ts lists them. */
export interface FieldSpec {
  readonly id: number;
  readonly type: ScalarType | 'string' | `[${ScalarType | 'string'}]` | 'table' | '[table]' | 'union';
  /** The schema default of a scalar (0 when absent; booleans as 0 / 1). */
  readonly default?: number;
  /** The enum or union whose values a scalar holds, or the table a table field points to. */
  readonly enum?: string;
  readonly table?: string;
  readonly union?: string;
}

type ElementValue<T> = T extends 'bool' ? boolean : T extends 'int64' | 'uint64' ? bigint : T extends ScalarType ? number : never;

/** What `TableView.read` gives for a field: never for sub-tables and unions, which are read by position. */
export type FieldValue<F extends FieldSpec> = F['type'] extends 'string'
  ? string
  : F['type'] extends '[uint8]'
    ? Uint8Array
    : F['type'] extends `[${infer E}]`
      ? ElementValue<E>[]
      : ElementValue<F['type']>;

const SIZES: Record<ScalarType, number> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, float32: 4, float64: 8 };

const isScalar = (type: string): type is ScalarType => type in SIZES;

/** A vector's element count and the position of its first element. */
interface VectorSpan {
  start: number;
  length: number;
}

/** One table: fields are looked up by their schema id through the vtable. */
export class TableView {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    protected readonly file: FlatFile,
    protected readonly position: number,
    protected readonly what: string,
  ) {
    file.require(position, 4, what);
    this.vtable = position - file.bb.readInt32(position);
    file.require(this.vtable, 4, `${what} vtable`);
    this.vtableSize = file.bb.readUint16(this.vtable);
    const tableSize = file.bb.readUint16(this.vtable + 2);
    file.require(this.vtable, this.vtableSize, `${what} vtable`);
    file.require(position, tableSize, what);
  }

  /** Absolute position of field `id`, or 0 when the table does not store it (it has its default). */
  private field(id: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const relative = this.file.bb.readUint16(this.vtable + slot);
    return relative === 0 ? 0 : this.position + relative;
  }

  has(field: FieldSpec): boolean {
    return this.field(field.id) !== 0;
  }

  private scalar(type: ScalarType, at: number): number | bigint | boolean {
    const bb = this.file.bb;
    switch (type) {
      case 'bool':
        return bb.readUint8(at) !== 0;
      case 'int8':
        return bb.readInt8(at);
      case 'uint8':
        return bb.readUint8(at);
      case 'int16':
        return bb.readInt16(at);
      case 'uint16':
        return bb.readUint16(at);
      case 'int32':
        return bb.readInt32(at);
      case 'uint32':
        return bb.readUint32(at);
      case 'int64':
        return bb.readInt64(at);
      case 'uint64':
        return bb.readUint64(at);
      case 'float32':
        return bb.readFloat32(at);
      case 'float64':
        return bb.readFloat64(at);
    }
  }

  /** A scalar (its schema default when the table does not store it), a string, or a vector of scalars. */
  read<F extends FieldSpec>(field: F): FieldValue<F> {
    return this.value(field) as FieldValue<F>;
  }

  private value(field: FieldSpec): number | bigint | boolean | string | Uint8Array | (number | bigint | boolean)[] {
    const { id, type } = field;
    if (isScalar(type)) {
      const at = this.field(id);
      if (at === 0) {
        const fallback = field.default ?? 0;
        return type === 'bool' ? fallback !== 0 : type === 'int64' || type === 'uint64' ? BigInt(fallback) : fallback;
      }
      this.file.require(at, SIZES[type], `${this.what} field ${id}`);
      return this.scalar(type, at);
    }
    if (type === 'string') return new TextDecoder().decode(this.bytes(id));
    if (type === '[uint8]') return this.bytes(id);
    const element = type.slice(1, -1);
    if (type.startsWith('[') && isScalar(element)) {
      const size = SIZES[element];
      const span = this.vector(id, size);
      return span ? Array.from({ length: span.length }, (_, i) => this.scalar(element, span.start + size * i)) : [];
    }
    throw new Error(`${this.what} field ${id}: a ${type} field is not a value`);
  }

  /** Position of the sub-table field `id` points to, or undefined when absent. */
  tablePosition(field: FieldSpec & { type: 'table' | 'union' }): number | undefined {
    const at = this.field(field.id);
    return at ? this.file.follow(at, `${this.what} field ${field.id}`) : undefined;
  }

  private vector(id: number, elementSize: number): VectorSpan | undefined {
    const at = this.field(id);
    if (!at) return undefined;
    const what = `${this.what} field ${id}`;
    const vector = this.file.follow(at, what);
    this.file.require(vector, 4, what);
    const length = this.file.bb.readUint32(vector);
    this.file.require(vector + 4, length * elementSize, what);
    return { start: vector + 4, length };
  }

  /** A [ubyte] field as a view of the file's bytes (no copy). */
  private bytes(id: number): Uint8Array {
    const span = this.vector(id, 1);
    return span ? this.file.bytes.subarray(span.start, span.start + span.length) : new Uint8Array(0);
  }

  tableVector<T>(field: FieldSpec & { type: '[table]' }, make: (file: FlatFile, position: number, what: string) => T, element: string): T[] {
    const span = this.vector(field.id, 4);
    if (!span) return [];
    return Array.from({ length: span.length }, (_, i) => make(this.file, this.file.follow(span.start + 4 * i, `${element} ${i}`), `${element} ${i}`));
  }
}
