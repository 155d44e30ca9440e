import type { Graph } from '../../ir/graph.ts';
import type { PreparedNode, Value } from '../op.ts';
import { outputValue } from '../common/values.ts';
import { poolWindows } from '../common/float-window.ts';
import type { FloatMaxPoolParams } from './definition.ts';

/** The largest float32 value, the result of a window without any tap inside the input (ONNX Runtime's). */
const FLT_MAX = 3.4028234663852886e38;

/** The largest tap inside the input, from -infinity; a tap replaces it only when greater; -FLT_MAX for a window without any. */
export function referenceFloatMaxPool(node: PreparedNode<FloatMaxPoolParams>, [x]: Value[], graph: Graph): Value[] {
  const p = node.params;
  const input = x!.data as Float32Array;
  const out = outputValue(graph, node);
  poolWindows(p, out.data as Float32Array, (offsets) => {
    let best = -Infinity;
    for (const offset of offsets) if (input[offset]! > best) best = input[offset]!;
    return offsets.length > 0 ? best : -FLT_MAX;
  });
  return [out];
}
