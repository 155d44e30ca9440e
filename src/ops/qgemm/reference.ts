import type { Graph } from '../../ir/graph.ts';
import { requantize } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { gemmAccumulators } from '../common/gemm.ts';
import type { QGemmParams } from './definition.ts';

const f32 = Math.fround;

/** int32 accumulators (bias included), then requantized per column, or scaled to float32. */
export function referenceQGemm(node: PreparedNode<QGemmParams>, [a]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const acc = gemmAccumulators(p.gemm, a!.data as Int8Array);
  const out = outputValue(graph, node);
  const n = p.gemm.n;
  const output = p.output;
  for (let i = 0; i < acc.length; i++) {
    const col = i % n;
    if (output.kind === 'quantized') out.data[i] = requantize(output.requant, col, acc[i]!);
    else out.data[i] = f32(f32(acc[i]!) * output.scales[output.scales.length === 1 ? 0 : col]!);
  }
  return [out];
}
