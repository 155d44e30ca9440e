/**
 * QLinearMatMul: Y = A x B for int8 A [..., M, K] and constant int8 B [K, N] (or one B per
 * batch, [..., K, N]). Scales and zero points live on the tensors; B may be per-column.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { elementCount, tensorOf } from '../../ir/graph.ts';
import { UserError } from '../../errors.ts';
import { makeRequant, type Requant } from '../../numerics/requantize.ts';
import type { CompileOptions, OutputInfo } from '../op.ts';
import { activationRange } from '../common/activation.ts';
import { perChannel, perTensorZeroPoint, quantOf, requireDtype } from '../common/values.ts';

export interface MatMulParams {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** Number of B matrices: 1 (shared) or batch. */
  bBatches: number;
  aZeroPoint: number;
  bZeroPoints: number[];
  requant: Requant;
}

export function inferQLinearMatMul(node: Node, graph: Graph): OutputInfo[] {
  const a = tensorOf(graph, node.inputs[0]!);
  const b = tensorOf(graph, node.inputs[1]!);
  requireDtype(node, a, ['int8', 'uint8'], 'A');
  requireDtype(node, b, ['int8', 'uint8'], 'B');
  const fail = (why: string): never => {
    throw new UserError(`node '${node.name}' (QLinearMatMul): A [${a.shape}] x B [${b.shape}]: ${why}`);
  };
  if (a.shape.length < 2) fail('A must have rank 2 or more');
  const k = a.shape.at(-1)!;
  if (b.shape.length < 2 || b.shape.at(-2) !== k) fail(`B must be [..., ${k}, N]`);
  const batchA = elementCount(a.shape.slice(0, -2));
  const batchB = elementCount(b.shape.slice(0, -2));
  if (b.shape.length > 2 && (b.shape.length !== a.shape.length || batchB !== batchA)) fail('B must be 2-D or have the same batch dimensions as A');
  const n = b.shape.at(-1)!;
  const bQuant = quantOf(graph, node, b.name, 'B');
  if (bQuant.scale.length !== 1 && bQuant.scale.length !== n) fail(`B has ${bQuant.scale.length} scales for ${n} columns`);
  return [{ shape: [...a.shape.slice(0, -1), n] }];
}

export function prepareQLinearMatMul(node: Node, graph: Graph, options: CompileOptions): MatMulParams {
  const a = tensorOf(graph, node.inputs[0]!);
  const b = tensorOf(graph, node.inputs[1]!);
  const y = tensorOf(graph, node.outputs[0]!);
  const bQuant = quantOf(graph, node, b.name, 'B');
  const n = b.shape.at(-1)!;
  const [actMin, actMax] = activationRange(node, graph);
  const params: MatMulParams = {
    batch: elementCount(a.shape.slice(0, -2)),
    m: a.shape.at(-2)!,
    k: a.shape.at(-1)!,
    n,
    bBatches: elementCount(b.shape.slice(0, -2)),
    aZeroPoint: perTensorZeroPoint(graph, node, a.name, 'A'),
    bZeroPoints: perChannel(bQuant.zeroPoint, n),
    requant: makeRequant(
      options.rounding,
      quantOf(graph, node, a.name, 'A').scale[0]!,
      bQuant.scale,
      quantOf(graph, node, y.name, 'output').scale[0]!,
      perTensorZeroPoint(graph, node, y.name, 'output'),
      actMin,
      actMax,
      // tflite mode: TFLM's FULLY_CONNECTED (constant B) and BATCH_MATMUL round a per-tensor
      // s_a * s_b to float32 before dividing by s_y; per-channel FULLY_CONNECTED stays in double.
      bQuant.scale.length === 1 ? 'float32' : 'double',
    ),
  };
  return params;
}
