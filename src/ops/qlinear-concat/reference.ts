import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import type { ConcatParams } from './definition.ts';

/** Each input's rows side by side in the output's rows; a requantized input goes through its table. */
export function referenceQLinearConcat(node: PreparedNode<ConcatParams>, inputs: Value[], graph: Graph): Value[] {
  const p = node.params;
  const out = outputValue(graph, node);
  const output = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  let column = 0;
  inputs.forEach((x, k) => {
    const input = new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
    const bytes = p.rowBytes[k]!;
    const table = p.tables[k];
    for (let o = 0; o < p.outer; o++) {
      const row = input.subarray(o * bytes, (o + 1) * bytes);
      const at = o * p.outRowBytes + column;
      if (table) row.forEach((v, i) => (output[at + i] = table[((v << 24) >> 24) + 128]! & 0xff));
      else output.set(row, at);
    }
    column += bytes;
  });
  return [out];
}
