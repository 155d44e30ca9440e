/**
 * A small ONNX graph builder for tests: declares inputs, initializers and nodes, and encodes a
 * ModelProto with onnx-proto, so tests make their own models without Python.
 */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

export type ElemType = 'float32' | 'int8' | 'uint8' | 'int16' | 'int32' | 'int64';
const CODES: Record<ElemType, number> = { float32: T.FLOAT, int8: T.INT8, uint8: T.UINT8, int16: T.INT16, int32: T.INT32, int64: T.INT64 };

/** A number is an INT attribute; `{ float: x }` makes a FLOAT one. */
type AttrInput = number | number[] | string | { float: number };

export class GraphBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private counter = 0;
  /** The default domain's opset (13; int16 QuantizeLinear / DequantizeLinear need 21). */
  opset = 13;

  private valueInfo(name: string, type: ElemType, shape: number[]) {
    return { name, type: { tensorType: { elemType: CODES[type], shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
  }

  input(name: string, type: ElemType, shape: number[]): string {
    this.inputs.push(this.valueInfo(name, type, shape));
    return name;
  }

  output(name: string, type: ElemType, shape: number[]): void {
    this.outputs.push(this.valueInfo(name, type, shape));
  }

  /** An initializer stored as raw_data (the common encoding). */
  constant(type: ElemType, shape: number[], values: ArrayLike<number | bigint>, name = `c${this.counter++}`): string {
    let raw: Uint8Array;
    switch (type) {
      case 'float32':
        raw = new Uint8Array(Float32Array.from(values as ArrayLike<number>).buffer);
        break;
      case 'int8':
        raw = new Uint8Array(Int8Array.from(values as ArrayLike<number>).buffer);
        break;
      case 'uint8':
        raw = Uint8Array.from(values as ArrayLike<number>);
        break;
      case 'int16':
        raw = new Uint8Array(Int16Array.from(values as ArrayLike<number>).buffer);
        break;
      case 'int32':
        raw = new Uint8Array(Int32Array.from(values as ArrayLike<number>).buffer);
        break;
      case 'int64':
        raw = new Uint8Array(BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(v))).buffer);
        break;
    }
    this.initializers.push({ name, dataType: CODES[type], dims: shape, rawData: raw });
    return name;
  }

  scalar(value: number, type: ElemType = 'float32'): string {
    return this.constant(type, [], [value]);
  }

  node(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, options: { domain?: string; outputs?: number } = {}): string[] {
    const index = this.counter++;
    const outputs = Array.from({ length: options.outputs ?? 1 }, (_, i) => `${opType.toLowerCase()}_${index}_${i}`);
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'string') return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) };
      if (typeof v === 'object' && !Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.float };
      if (Array.isArray(v)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v };
      return { name, type: onnx.AttributeProto.AttributeType.INT, i: v };
    });
    this.nodes.push({ opType, domain: options.domain ?? '', name: `${opType}_${index}`, input: inputs, output: outputs, attribute });
    return outputs;
  }

  /** Renames the last node's first output (to make it a graph output). */
  rename(from: string, to: string): string {
    for (const n of this.nodes) {
      n.output = n.output!.map((o) => (o === from ? to : o));
      n.input = n.input!.map((i) => (i === from ? to : i));
    }
    return to;
  }

  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'tinygen-tests',
      opsetImport: [{ domain: '', version: this.opset }, { domain: 'com.microsoft', version: 1 }],
      graph: { name: 'test', input: this.inputs, output: this.outputs, initializer: this.initializers, node: this.nodes },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  /** Writes the model to a fresh temp dir and returns its path. */
  save(fileName = 'model.onnx'): string {
    const path = join(mkdtempSync(join(tmpdir(), 'tinygen-model-')), fileName);
    writeFileSync(path, this.encode());
    return path;
  }
}
