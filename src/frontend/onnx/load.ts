/**
 * ONNX bytes → IR graph. Decodes the protobuf, reads initializers, maps each node through the
 * op registry, and rejects what it cannot honour with one line naming the node and the reason.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import onnxProto from 'onnx-proto';
import type { Graph } from '../../ir/graph.ts';
import { checkNodeCount } from '../limits.ts';
import { UserError } from '../../errors.ts';
import { boundTensorData, type BoundValues } from '../bindings.ts';
import { findFloatImport, findOnnxImport, supportedOnnxOps } from './registry.ts';
import { decodeTensorProto, dtypeFromOnnx, int64ToNumber } from './tensor-proto.ts';
import { ImportContext, OnnxNodeView } from './import-context.ts';
import { importFused, planQdq } from './qdq/fuse.ts';
import { nchwToNhwc } from './nhwc.ts';
import { checkMaxInputs } from './max-inputs.ts';

const { onnx } = onnxProto;

export interface LoadedModel {
  graph: Graph;
  /** SHA-256 of the model file, hex. */
  sha256: string;
  source: string;
}

/** Replaces graph inputs by constants before import (the conformance runner binds scales this way). */
export type InputBindings = Map<string, ReturnType<typeof decodeTensorProto>>;

export interface LoadOptions {
  /** Graph inputs bound to constants. */
  bindings?: InputBindings;
  /** Graph inputs bound to values of their own declared type and shape (--bind). */
  boundValues?: BoundValues;
  /** Accept float32 ops as they stand (see OnnxImport 'float'); off, a float op is an error. */
  allowFloat?: boolean;
}

export function loadOnnxBytes(bytes: Uint8Array, source: string, options: LoadOptions = {}): LoadedModel {
  const { bindings, boundValues, allowFloat = false } = options;
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new UserError(`${source}: not an ONNX model, or truncated (${(err as Error).message})`);
  }
  const g = model.graph;
  if (!g || (g.node ?? []).length === 0 || !model.irVersion) {
    throw new UserError(`${source}: not an ONNX model (no ir_version or no graph nodes)`);
  }
  try {
    checkNodeCount(g.node!.length);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${source}: ${err.message}`);
    throw err;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const name = basename(source, extname(source));
  const graph: Graph = { name, tensors: new Map(), nodes: [], inputs: [], outputs: [] };

  for (const init of g.initializer ?? []) {
    const tensor = decodeTensorProto(init, `${source}: initializer '${init.name}'`);
    graph.tensors.set(tensor.name, tensor);
  }
  for (const input of g.input ?? []) {
    const inputName = input.name ?? '';
    if (graph.tensors.has(inputName)) continue; // old IR versions list initializers as inputs too
    const bound = bindings?.get(inputName);
    if (bound) {
      graph.tensors.set(inputName, { ...bound, name: inputName });
      continue;
    }
    const tensorType = input.type?.tensorType;
    if (!tensorType) throw new UserError(`${source}: graph input '${inputName}' is not a tensor`);
    const dtype = dtypeFromOnnx(tensorType.elemType ?? 0, `${source}: graph input '${inputName}'`);
    const shape = (tensorType.shape?.dim ?? []).map((d, i) => {
      const v = int64ToNumber(d.dimValue);
      if ((d as { value?: string }).value === 'dimValue' && v === 0) {
        throw new UserError(`${source}: graph input '${inputName}' has a zero-sized dimension ${i}; tinygen needs non-empty tensors`);
      }
      if (v < 0) throw new UserError(`${source}: graph input '${inputName}' has a negative dimension ${i} (${v})`);
      if (d.dimParam || v === 0) {
        if (i === 0) return 1; // a symbolic batch dimension becomes 1: firmware runs one input at a time
        throw new UserError(`${source}: graph input '${inputName}' has a symbolic dimension ${i} ('${d.dimParam ?? '?'}'); tinygen needs static shapes`);
      }
      return v;
    });
    const values = boundValues?.get(inputName);
    if (values) {
      graph.tensors.set(inputName, { name: inputName, dtype, shape, data: boundTensorData(values, dtype, shape, `${source}: bound graph input '${inputName}'`) });
      continue;
    }
    graph.tensors.set(inputName, { name: inputName, dtype, shape });
    graph.inputs.push(inputName);
  }
  if (graph.inputs.length === 0) throw new UserError(`${source}: the graph has no non-constant inputs`);

  const opsets = new Map((model.opsetImport ?? []).map((o) => [o.domain === 'ai.onnx' ? '' : (o.domain ?? ''), int64ToNumber(o.version)] as const));
  const ctx = new ImportContext(graph, opsets);
  const views = (g.node ?? []).map((proto, index) => new OnnxNodeView(proto, index));
  const graphOutputs = new Set((g.output ?? []).map((o) => o.name ?? ''));
  ctx.topology = { nodes: views, graphOutputs };
  const withSource = <T>(step: () => T): T => {
    try {
      return step();
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${source}: ${err.message}`);
      throw err;
    }
  };
  for (const view of views) withSource(() => checkMaxInputs(view));
  const units = withSource(() => planQdq(views, (name) => graph.tensors.get(name)?.data !== undefined, graphOutputs, graph.inputs.filter((n) => graph.tensors.get(n)!.dtype === 'float32'), allowFloat));
  for (const unit of units) {
    if (unit.kind === 'fused') {
      graph.nodes.push(...withSource(() => importFused(unit, ctx)));
      continue;
    }
    const node = unit.node;
    for (const input of node.inputs) {
      if (input !== '' && !graph.tensors.has(input)) {
        throw new UserError(`${source}: ${node.label} reads '${input}', which is neither a graph input, an initializer nor an earlier node's output (missing initializer?)`);
      }
    }
    // An op with both an integer and a float import (MaxPool) takes the float one on a float32 input.
    const floatFirst = allowFloat && graph.tensors.get(node.input(0))?.dtype === 'float32' ? findFloatImport(node.domain, node.opType) : undefined;
    const importer = floatFirst ?? findOnnxImport(node.domain, node.opType) ?? (allowFloat ? findFloatImport(node.domain, node.opType) : undefined);
    if (!importer) {
      const op = node.domain ? `${node.domain}.${node.opType}` : node.opType;
      throw new UserError(`${source}: ${node.label}: unsupported op '${op}'; supported ops: ${supportedOnnxOps().join(', ')}`);
    }
    graph.nodes.push(withSource(() => importer.import(node, ctx)));
  }

  for (const output of g.output ?? []) {
    const outputName = output.name ?? '';
    if (!graph.tensors.has(outputName)) throw new UserError(`${source}: graph output '${outputName}' is never produced`);
    const declared = output.type?.tensorType?.elemType ?? 0;
    // 0 is UNDEFINED: the file leaves the type to the producer.
    if (declared !== 0) graph.tensors.get(outputName)!.declaredDtype = dtypeFromOnnx(declared, `${source}: graph output '${outputName}'`);
    graph.outputs.push(outputName);
  }
  withSource(() => nchwToNhwc(graph));
  return { graph, sha256, source };
}
