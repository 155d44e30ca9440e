/**
 * Inference records: the bytes of every API input of one inference, in order (and likewise for
 * outputs). Files of records are what the harnesses read and write, and what --inputs takes.
 */
import { runReference } from '../reference/interpreter.ts';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { Graph } from '../ir/graph.ts';
import { tensorOf } from '../ir/graph.ts';
import type { Value } from '../ops/op.ts';
import type { ApiTensor } from '../codegen/api.ts';
import { allocate } from '../ops/common/values.ts';
import { seededRandom } from '../util/random.ts';

export function recordBytes(tensors: readonly ApiTensor[]): number {
  return tensors.reduce((sum, t) => sum + t.bytes, 0);
}

export function valuesToRecord(values: readonly Value[]): Uint8Array {
  const parts = values.map((v) => new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Splits one record into the graph's input (or output) values. */
export function recordToValues(graph: Graph, names: readonly string[], record: Uint8Array): Value[] {
  let offset = 0;
  return names.map((name) => {
    const t = tensorOf(graph, name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const data = allocate(t.dtype, count);
    const bytes = new Uint8Array(data.buffer);
    bytes.set(record.subarray(offset, offset + bytes.length));
    offset += bytes.length;
    return { dtype: t.dtype, shape: [...t.shape], data };
  });
}

/** Random inputs over each type's full range (floats: [-8, 8), half of them on a 1/16 grid to hit ties). */
export function randomInputs(graph: Graph, random: () => number): Value[] {
  return graph.inputs.map((name) => {
    const t = tensorOf(graph, name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const data = allocate(t.dtype, count);
    for (let i = 0; i < count; i++) {
      const r = random();
      if (t.dtype === 'float32') (data as Float32Array)[i] = i % 2 ? Math.round(r * 256 - 128) / 16 : r * 16 - 8;
      else if (t.dtype === 'int32') (data as Int32Array)[i] = Math.floor(r * 2 ** 32) | 0;
      else if (t.dtype === 'int16') (data as Int16Array)[i] = Math.floor(r * 65536) - 32768;
      else (data as Uint8Array)[i] = Math.floor(r * 256);
    }
    return { dtype: t.dtype, shape: [...t.shape], data };
  });
}

/** `count` records of seeded random inputs. */
export function randomRecords(graph: Graph, count: number, seed: number): Uint8Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => valuesToRecord(randomInputs(graph, random)));
}

/** What the reference interpreter outputs for each input record, as output records. */
export function referenceRecords(graph: Graph, records: readonly Uint8Array[]): Uint8Array[] {
  return records.map((r) => valuesToRecord(runReference(graph, recordToValues(graph, graph.inputs, r)).outputs));
}

/** Reads a file of raw records of `size` bytes each; anything else is the user's error. */
export function readRecordFile(file: string, size: number): Uint8Array[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read input records (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes.length === 0 || bytes.length % size !== 0) {
    throw new UserError(`${file}: ${bytes.length} bytes is not a whole number of ${size}-byte input records`);
  }
  return Array.from({ length: bytes.length / size }, (_, i) => new Uint8Array(bytes.subarray(i * size, (i + 1) * size)));
}
