/**
 * ResidualRows: a residual block (3x3 conv -> 3x3 conv -> add back to the block's input) run row
 * by row, made by the line-buffer pass (src/passes/line-buffer.ts) from the three nodes, which it
 * keeps in attrs (JSON) so that prepare rebuilds and prepares them with their own ops. The kernel
 * holds three rows of the first conv's output and one row of the second's, never either whole,
 * and writes each row of the sum over the block's input row it came from (in place when the
 * planner gives it that input's memory).
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { tensorOf } from '../../ir/graph.ts';
import type { CompileOptions, PreparedNode } from '../op.ts';
import { rowBytes, storedNode } from '../common/fused.ts';
import { qlinearConv } from '../qlinear-conv/index.ts';
import { qlinearAdd } from '../qlinear-add/index.ts';
import { convPatchBytes, type ConvParams } from '../qlinear-conv/definition.ts';
import type { QAddParams } from '../qlinear-add/definition.ts';
import { convMacs } from '../common/macs.ts';

export interface ResidualRowsParams {
  first: PreparedNode<ConvParams>;
  second: PreparedNode<ConvParams>;
  add: PreparedNode<QAddParams>;
  /** Bytes of a row of the block's input (and output), of the first conv's output, of the second's. */
  inRowBytes: number;
  middleRowBytes: number;
  outRowBytes: number;
  rows: number;
}

/** The three nodes the block was made of, as the line-buffer pass stored them (unprepared). */
export function residualNodes(node: Node): { first: Node; second: Node; add: Node } {
  return { first: storedNode(node, 'first'), second: storedNode(node, 'second'), add: storedNode(node, 'add') };
}

export function prepareResidualRows(node: Node, graph: Graph, options: CompileOptions): ResidualRowsParams {
  const { first, second, add } = residualNodes(node);
  qlinearConv.prepare(first, graph, options);
  qlinearConv.prepare(second, graph, options);
  qlinearAdd.prepare(add, graph, options);
  const [, h, w, c0] = tensorOf(graph, node.inputs[0]!).shape as [number, number, number, number];
  const c1 = tensorOf(graph, first.outputs[0]!).shape[3]!;
  const c2 = tensorOf(graph, second.outputs[0]!).shape[3]!;
  return {
    first: first as PreparedNode<ConvParams>,
    second: second as PreparedNode<ConvParams>,
    add: add as PreparedNode<QAddParams>,
    inRowBytes: w * c0,
    middleRowBytes: w * c1,
    outRowBytes: w * c2,
    rows: h,
  };
}

/** A window of three rows of the first conv's output, a row of the second's, and one patch pair (the two convs take turns). */
export function residualRowsScratch(node: Node, graph: Graph): number {
  const { first, second } = residualNodes(node);
  return 3 * rowBytes(graph, first.outputs[0]!) + rowBytes(graph, second.outputs[0]!) + Math.max(convPatchBytes(first, graph), convPatchBytes(second, graph));
}

export function residualRowsMacs(node: Node, graph: Graph): number {
  const { first, second } = residualNodes(node);
  return convMacs(first, graph, 3) + convMacs(second, graph, 3);
}
