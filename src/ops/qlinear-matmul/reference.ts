import type { Graph } from '../../ir/graph.ts';
import { requantize } from '../../numerics/requantize.ts';
import type { PreparedNode, Value } from '../op.ts';
import { constantData, outputValue } from '../common/values.ts';
import type { MatMulParams } from './definition.ts';

export function referenceQLinearMatMul(node: PreparedNode<MatMulParams>, [a]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const bData = constantData(graph, node.inputs[1]!) as Int8Array;
  const aData = a!.data as Int8Array;
  const out = outputValue(graph, node);
  let o = 0;
  for (let batch = 0; batch < p.batch; batch++) {
    const bBase = p.bBatches === 1 ? 0 : batch * p.k * p.n;
    for (let row = 0; row < p.m; row++) {
      const aBase = (batch * p.m + row) * p.k;
      for (let col = 0; col < p.n; col++) {
        const zb = p.bZeroPoints[col]!;
        let acc = 0;
        for (let i = 0; i < p.k; i++) acc += (aData[aBase + i]! - p.aZeroPoint) * (bData[bBase + i * p.n + col]! - zb);
        out.data[o++] = requantize(p.requant, col, acc | 0);
      }
    }
  }
  return [out];
}
