/**
 * Model helpers for the data-movement tests: GraphBuilder models re-encoded with another opset
 * (Squeeze's axes attribute, Pad's attributes and Resize-10 need older ones, Pad's axes input
 * and Resize's axes attribute newer ones) and with float-list attributes (Upsample-7's scales).
 */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphBuilder } from '../helpers/onnx-builder.ts';

const { onnx } = onnxProto;

export interface SaveOptions {
  opset?: number;
  /** Float-list attributes to add to the node that writes `output`. */
  floatLists?: { output: string; name: string; values: number[] }[];
}

export function saveModel(g: GraphBuilder, options: SaveOptions = {}): string {
  const model = onnx.ModelProto.decode(g.encode());
  if (options.opset !== undefined) {
    model.opsetImport = model.opsetImport.map((o) => (o.domain === '' || !o.domain ? { ...o, version: options.opset } : o)) as typeof model.opsetImport;
  }
  for (const { output, name, values } of options.floatLists ?? []) {
    const node = (model.graph?.node ?? []).find((n) => (n.output ?? []).includes(output));
    if (!node) throw new Error(`no node writes ${output}`);
    node.attribute = [...(node.attribute ?? []),onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOATS, floats: values })];
  }
  const path = join(mkdtempSync(join(tmpdir(), 'tinygen-dm-')), 'model.onnx');
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}
