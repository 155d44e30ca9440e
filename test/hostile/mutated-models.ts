/**
 * Mutations of a real model file, as a hostile or careless producer would write them: each
 * decodes the model, changes one thing, and saves it to a fresh temp dir.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Model = ReturnType<typeof onnx.ModelProto.decode>;

export function mutateOnnx(path: string, mutate: (model: Model) => void): string {
  const model = onnx.ModelProto.decode(readFileSync(path));
  mutate(model);
  const out = join(mkdtempSync(join(tmpdir(), 'tinygen-hostile-')), basename(path));
  writeFileSync(out, onnx.ModelProto.encode(model).finish());
  return out;
}
