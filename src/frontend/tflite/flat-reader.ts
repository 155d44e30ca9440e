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
  protected field(id: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const relative = this.file.bb.readUint16(this.vtable + slot);
    return relative === 0 ? 0 : this.position + relative;
  }

  protected has(id: number): boolean {
    return this.field(id) !== 0;
  }

  private scalarAt(id: number, size: number): number {
    const at = this.field(id);
    if (at !== 0) this.file.require(at, size, `${this.what} field ${id}`);
    return at;
  }

  protected int8(id: number, fallback = 0): number {
    const at = this.scalarAt(id, 1);
    return at ? this.file.bb.readInt8(at) : fallback;
  }

  protected uint8(id: number, fallback = 0): number {
    const at = this.scalarAt(id, 1);
    return at ? this.file.bb.readUint8(at) : fallback;
  }

  protected bool(id: number): boolean {
    return this.uint8(id) !== 0;
  }

  protected int32(id: number, fallback = 0): number {
    const at = this.scalarAt(id, 4);
    return at ? this.file.bb.readInt32(at) : fallback;
  }

  protected uint32(id: number, fallback = 0): number {
    const at = this.scalarAt(id, 4);
    return at ? this.file.bb.readUint32(at) : fallback;
  }

  protected float32(id: number, fallback = 0): number {
    const at = this.scalarAt(id, 4);
    return at ? this.file.bb.readFloat32(at) : fallback;
  }

  protected uint64(id: number): bigint {
    const at = this.scalarAt(id, 8);
    return at ? this.file.bb.readUint64(at) : 0n;
  }

  /** Position of the sub-table field `id` points to, or undefined when absent. */
  protected tablePosition(id: number): number | undefined {
    const at = this.field(id);
    return at ? this.file.follow(at, `${this.what} field ${id}`) : undefined;
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

  protected int32Vector(id: number): number[] {
    const span = this.vector(id, 4);
    return span ? Array.from({ length: span.length }, (_, i) => this.file.bb.readInt32(span.start + 4 * i)) : [];
  }

  protected float32Vector(id: number): number[] {
    const span = this.vector(id, 4);
    return span ? Array.from({ length: span.length }, (_, i) => this.file.bb.readFloat32(span.start + 4 * i)) : [];
  }

  protected int64Vector(id: number): bigint[] {
    const span = this.vector(id, 8);
    return span ? Array.from({ length: span.length }, (_, i) => this.file.bb.readInt64(span.start + 8 * i)) : [];
  }

  /** A [ubyte] field as a view of the file's bytes (no copy). */
  protected byteVector(id: number): Uint8Array {
    const span = this.vector(id, 1);
    return span ? this.file.bytes.subarray(span.start, span.start + span.length) : new Uint8Array(0);
  }

  protected string(id: number): string {
    return new TextDecoder().decode(this.byteVector(id));
  }

  protected tableVector<T>(id: number, make: (file: FlatFile, position: number, what: string) => T, element: string): T[] {
    const span = this.vector(id, 4);
    if (!span) return [];
    return Array.from({ length: span.length }, (_, i) => make(this.file, this.file.follow(span.start + 4 * i, `${element} ${i}`), `${element} ${i}`));
  }
}
