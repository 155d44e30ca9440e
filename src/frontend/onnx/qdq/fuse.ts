/**
 * QDQ fusion, the step of the ONNX import between decoding and per-node import
 * (src/frontend/onnx/load.ts: planQdq over the graph's nodes, then importFused for each fused
 * unit; every other node goes to its importer in ../registry.ts as it stands).
 *
 * Quantizers (ONNX Runtime's, most exporters') emit float ops wrapped in
 * DequantizeLinear and QuantizeLinear: DQ(x_q) → op → [Relu | Clip] → Q. Each such pattern becomes
 * one integer op: its inputs are the quantized tensors behind the DQs (weights and biases stay
 * integer constants), its output is the Q's. A Relu or Clip between op and Q becomes a Clamp
 * (folded into the op's requantization later). DQs and Qs that are not part of a pattern (a float
 * graph input's Q, a float graph output's DQ) remain as QuantizeLinear / DequantizeLinear steps.
 *
 * This folder is the whole step: this driver, which finds the patterns; ort-qdq.ts, which records
 * what ONNX Runtime's own fusion decides for a pattern; and one file per op family with that
 * family's QDQ form (the 'qdq' importers listed in ../registry.ts, next to the QOperator and float
 * forms in ../import/).
 */
import type { DType, Node, Quantization } from '../../../ir/graph.ts';
import { quantizeBoundHalfEven } from '../../../ops/common/activation.ts';
import { UserError } from '../../../errors.ts';
import type { OnnxImport } from '../import-context.ts';
import { findOnnxImport, findQdqImport, supportedQdqOps } from '../registry.ts';
import type { ImportContext, OnnxNodeView } from '../import-context.ts';

/** One step of the import: a node as it stands, or a fused DQ → op → Q pattern. */
export type ImportUnit =
  | { kind: 'node'; node: OnnxNodeView }
  | {
      kind: 'fused';
      center: OnnxNodeView;
      importer: OnnxImport;
      /** The DequantizeLinear behind each quantized input, by the input's position. */
      dequantizers: Map<number, OnnxNodeView>;
      activation?: OnnxNodeView;
      quantizer: OnnxNodeView;
    };

const ACTIVATIONS = new Set(['Relu', 'Clip']);

export function planQdq(
  nodes: readonly OnnxNodeView[],
  isConstant: (name: string) => boolean,
  graphOutputs: ReadonlySet<string>,
  floatInputs: readonly string[],
  allowFloat = false,
): ImportUnit[] {
  const producer = new Map<string, OnnxNodeView>();
  const consumers = new Map<string, OnnxNodeView[]>();
  for (const node of nodes) {
    node.outputs.forEach((o) => producer.set(o, node));
    // Pushed in place: copying the list per consumer was quadratic in a scale shared by 10,000 nodes.
    for (const i of node.inputs) {
      if (i === '') continue;
      const list = consumers.get(i);
      if (list) list.push(node);
      else consumers.set(i, [node]);
    }
  }
  const isOp = (node: OnnxNodeView | undefined, opType: string) => node !== undefined && node.domain === '' && node.opType === opType;
  const soleConsumer = (tensor: string): OnnxNodeView | undefined => {
    const list = consumers.get(tensor) ?? [];
    return list.length === 1 && !graphOutputs.has(tensor) ? list[0] : undefined;
  };

  const fusedCenters = new Map<OnnxNodeView, Extract<ImportUnit, { kind: 'fused' }>>();
  for (const center of nodes) {
    if (center.domain !== '' || center.opType === 'DequantizeLinear' || center.opType === 'QuantizeLinear') continue;
    const importer = findQdqImport(center.domain, center.opType);
    if (!importer) continue;
    const dequantizers = new Map<number, OnnxNodeView>();
    let fusable = true;
    center.inputs.forEach((input, i) => {
      if (input === '') return;
      const from = producer.get(input);
      if (isOp(from, 'DequantizeLinear')) dequantizers.set(i, from!);
      else if (!isConstant(input)) fusable = false;
    });
    if (!fusable || dequantizers.size === 0 || center.outputs.filter((o) => o !== '').length !== 1) continue;
    let next = soleConsumer(center.outputs[0]!);
    let activation: OnnxNodeView | undefined;
    if (next && ACTIVATIONS.has(next.opType) && next.domain === '' && next.inputs.slice(1).every((b) => b === '' || isConstant(b))) {
      activation = next;
      next = soleConsumer(next.outputs[0]!);
    }
    if (!isOp(next, 'QuantizeLinear')) continue;
    fusedCenters.set(center, { kind: 'fused', center, importer, dequantizers, activation, quantizer: next! });
  }

  const absorbed = new Set<OnnxNodeView>();
  for (const unit of fusedCenters.values()) {
    if (unit.activation) absorbed.add(unit.activation);
    absorbed.add(unit.quantizer);
  }
  for (const node of nodes) {
    if (isOp(node, 'DequantizeLinear') && (consumers.get(node.outputs[0]!) ?? []).every((c) => fusedCenters.has(c)) && !graphOutputs.has(node.outputs[0]!)) {
      absorbed.add(node);
    }
  }

  // Float values flow from float graph inputs and from dequantizers; any op other than a
  // QuantizeLinear that reads one computes in float.
  const floatTensors = new Set(floatInputs);
  const units: ImportUnit[] = [];
  const floatIsland: OnnxNodeView[] = [];
  for (const node of nodes) {
    const fused = fusedCenters.get(node);
    if (fused) {
      units.push(fused);
      continue;
    }
    if (absorbed.has(node)) continue;
    if (isOp(node, 'DequantizeLinear')) node.outputs.forEach((o) => floatTensors.add(o));
    else if (!isOp(node, 'QuantizeLinear') && node.inputs.some((i) => floatTensors.has(i))) {
      // Views and data movement work on floats as they are; an op tinygen knows only in
      // integer form is a float island; an op it does not know at all is reported as unsupported.
      if (!findOnnxImport(node.domain, node.opType) && (findQdqImport(node.domain, node.opType) || ACTIVATIONS.has(node.opType))) floatIsland.push(node);
      node.outputs.forEach((o) => floatTensors.add(o));
    }
    units.push({ kind: 'node', node });
  }
  if (floatIsland.length > 0 && !allowFloat) {
    const names = floatIsland.map((n) => `'${n.name}' (${n.opType})`).join(', ');
    throw new UserError(
      `float island: ${names} would compute in float, outside any DequantizeLinear → op → QuantizeLinear pattern; tinygen runs integer-only (ops it fuses from QDQ: ${supportedQdqOps().join(', ')})`,
    );
  }
  return units;
}

/** Real-valued bounds of a Relu or Clip (Clip's come from constant inputs at opset 11+, attributes before). */
function activationBounds(node: OnnxNodeView, ctx: ImportContext): number[] {
  if (node.opType === 'Relu') return [0, Infinity];
  const bound = (index: number, attr: string, fallback: number) => {
    const name = node.input(index);
    if (name !== '') return (ctx.constant(node, name, attr).data as Float32Array)[0]!;
    return node.float(attr, fallback);
  };
  return [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
}

/**
 * The integer clamp ONNX Runtime applies for real bounds: each quantized into the output's type
 * as its QuantizeLinear does (half to even, saturated; an infinite bound is the type's end). A
 * type other than int8, uint8 and int16 is refused later (check-quantization); int8's range stands in.
 */
function ortClamp(bounds: number[], quant: Quantization, dtype: DType): [number, number] {
  const storage = dtype === 'uint8' || dtype === 'int16' ? dtype : 'int8';
  return [quantizeBoundHalfEven(bounds[0]!, quant, storage), quantizeBoundHalfEven(bounds[1]!, quant, storage)];
}

/** Imports one fused pattern: annotates the quantized inputs, declares the output, adds the integer op. */
export function importFused(unit: Extract<ImportUnit, { kind: 'fused' }>, ctx: ImportContext): Node[] {
  const { center, quantizer } = unit;
  const inputs = center.inputs.map((input, i) => {
    const dq = unit.dequantizers.get(i);
    if (!dq) return input;
    dq.requireInputs(2);
    const scale = ctx.constant(dq, dq.input(1), 'scale');
    const axis = scale.data!.length > 1 ? dq.int('axis', 1) : undefined;
    ctx.annotate(dq, dq.input(0), ctx.quantization(dq, dq.input(1), dq.input(2), 'input', axis));
    return dq.input(0);
  });
  quantizer.requireInputs(2);
  const output = quantizer.outputs[0]!;
  const quant = ctx.quantization(quantizer, quantizer.input(1), quantizer.input(2), 'output');
  const dtype = ctx.zeroPointType(quantizer, quantizer.input(2));
  ctx.declareOutput(output, dtype, quant);
  if (!unit.activation) return [unit.importer.import(center.rewired(inputs, [output]), ctx)];
  const inner = `${output}_before_${unit.activation.opType.toLowerCase()}`;
  ctx.declareOutput(inner, dtype, quant);
  return [
    unit.importer.import(center.rewired(inputs, [inner]), ctx),
    { name: unit.activation.name, op: 'Clamp', inputs: [inner], outputs: [output], attrs: { clamp: ortClamp(activationBounds(unit.activation, ctx), quant, dtype) } },
  ];
}
