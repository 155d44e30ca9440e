import type { Graph } from '../../ir/graph.ts';
import type { EmitContext, PreparedNode } from '../op.ts';
import { constantData } from '../common/values.ts';
import { channelRequantInitializer, zeroPointsOrNull } from '../common/emit.ts';
import { windowInitializer, type WindowGeometry } from '../common/window.ts';
import { emitPointwise, foldedBias, kernelOf, pointwiseParams, type PointwiseLayer } from '../common/pointwise.ts';
import { convPatchBytes, convVariant, inPlaceRingRows, type ConvParams } from './definition.ts';

export function emitQLinearConv(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const variant = convVariant(node, graph);
  if (variant === '1x1') return emitPointwiseConv(node, graph, ctx);
  if (variant === 'depthwise') return emitDepthwise(node, graph, ctx);
  if (variant === 'dense') return emitDense(node, graph, ctx);
  // In the IR the weight is already in the order the kernel reads (see definition.ts).
  const weights = ctx.constArray('weights', 'int8_t', constantData(graph, node.inputs[1]!) as Int8Array);
  const bias = node.inputs[2] ? ctx.constArray('bias', 'int32_t', constantData(graph, node.inputs[2]) as Int32Array) : 'NULL';
  const zw = zeroPointsOrNull(ctx, 'weight_zero_points', p.weightZeroPoints);
  const params = ctx.constStruct(
    'conv',
    'tg_conv2d_t',
    `{ ${windowInitializer(p.geometry)}, ${p.groups}, ${p.inZeroPoint}, ${weights}, ${zw}, ${bias}, ${channelRequantInitializer(ctx, p.requant)} }`,
  );
  // The generic kernel widens its patch to int16 halfword pairs (tg_patch_slot).
  const patch = convPatchBytes(node, graph) > 0 ? `(int16_t *)${ctx.scratch(node)}` : 'NULL';
  return `tg_conv2d_s8_${p.requant.mode}(&${params}, ${ctx.pointer(node.inputs[0]!)}, ${ctx.pointer(node.outputs[0]!)}, ${patch});`;
}

/** tg_conv_1x1_s8_<mode>: int8 operands, the input zero point folded into the bias (common/pointwise.ts). */
function emitPointwiseConv(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const layer = pointwiseLayerOf(node, graph);
  // In place (the planner's choice, see convInPlace): the input lies within the output's memory.
  if (ctx.inPlace(node)) return emitPointwise(ctx, layer, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!), ctx.scratch(node));
  return emitPointwise(ctx, layer, ctx.pointer(node.inputs[0]!), ctx.pointer(node.outputs[0]!));
}

/** A pointwise layer as the matrix-product kernel runs it, with its own geometry or another. */
function pointwiseLayerOf(node: PreparedNode<ConvParams>, graph: Graph, g = node.params.geometry): PointwiseLayer {
  return {
    batch: g.batch,
    inH: g.inH,
    inW: g.inW,
    outH: g.outH,
    outW: g.outW,
    strideH: g.strideH,
    strideW: g.strideW,
    inChannels: g.inC,
    outChannels: g.outC,
    weights: constantData(graph, node.inputs[1]!) as Int8Array,
    bias: node.inputs[2] ? (constantData(graph, node.inputs[2]) as Int32Array) : undefined,
    inZeroPoint: node.params.inZeroPoint,
    requant: node.params.requant,
  };
}

/** tg_conv_dw_s8_<mode>: the bias with the input zero point folded in for windows inside the input, and as given for the border. */
function emitDepthwise(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = depthwiseParams(node, graph, ctx);
  const io = [
    { declaration: 'const int8_t *input', name: 'input', value: ctx.pointer(node.inputs[0]!) },
    { declaration: 'int8_t *output', name: 'output', value: ctx.pointer(node.outputs[0]!) },
  ];
  // In place (the planner's choice, see convInPlace): output rows wait in a ring in the scratch space.
  if (ctx.inPlace(node)) {
    return ctx.specialised(kernelOf('tg_conv_dw_in_place', p.requant.mode, 'tg_conv_dw.h'), params, [
      ...io,
      { declaration: 'int8_t *ring', name: 'ring', value: ctx.scratch(node) },
      { declaration: 'int32_t ring_rows', name: 'ring_rows', value: String(inPlaceRingRows(node, graph)) },
    ]);
  }
  return ctx.specialised(kernelOf('tg_conv_dw', p.requant.mode), params, io);
}

/** A depthwise layer's tg_conv_dw_t, with its own geometry or another. */
function depthwiseParams(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext, g = node.params.geometry): string {
  const p = node.params;
  const weights = constantData(graph, node.inputs[1]!) as Int8Array;
  const given = node.inputs[2] ? (constantData(graph, node.inputs[2]) as Int32Array) : new Int32Array(g.outC);
  // Weights [k_h][k_w][channels]: channel c's taps are a stride of channels apart.
  const folded = foldedBias(g.outC, g.kH * g.kW, (c, t) => weights[t * g.outC + c]!, given, p.inZeroPoint);
  const geometry = [g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.dilH, g.dilW, g.padTop, g.padLeft, p.inZeroPoint];
  return ctx.constStruct(
    'conv',
    'tg_conv_dw_t',
    `{ ${geometry.join(', ')}, ${ctx.constArray('weights', 'int8_t', weights)}, ${ctx.constArray('bias', 'int32_t', folded)}, ${ctx.constArray('border_bias', 'int32_t', given)}, ${channelRequantInitializer(ctx, p.requant)} }`,
  );
}

/**
 * One output row `oy` (a C expression) of a pointwise, depthwise or dense layer of one image, over
 * `image` seen with geometry g, into `output`; `patch` (convPatchBytes) is the dense kernel's
 * scratch. A fused step that runs the layer row by row declares one such call per layer.
 */
export function convRowCall(conv: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext, g: WindowGeometry, image: string, oy: string, output: string, patch: string): string {
  const mode = conv.params.requant.mode;
  switch (convVariant(conv, graph)) {
    case 'dense':
      return denseRowCall(conv, denseParams(conv, graph, ctx, g), ctx, image, oy, output, patch);
    case 'depthwise':
      return ctx.specialised({ ...kernelOf('tg_conv_dw', mode), body: 'tg_conv_dw_row' }, depthwiseParams(conv, graph, ctx, g), [
        { declaration: 'const int8_t *image', name: 'image', value: image },
        { declaration: 'int32_t oy', name: 'oy', value: oy },
        { declaration: 'int8_t *output', name: 'output', value: output },
      ]);
    case '1x1': {
      // The row's input row, as a one-row layer.
      const row = { ...g, batch: 1, inH: 1, outH: 1 };
      return ctx.specialised(kernelOf('tg_conv_1x1', mode), pointwiseParams(ctx, pointwiseLayerOf(conv, graph, row)), [
        { declaration: 'const int8_t *input', name: 'input', value: `${image} + (${oy}) * ${g.strideH * g.inW * g.inC}` },
        { declaration: 'int8_t *output', name: 'output', value: output },
      ]);
    }
    default:
      throw new Error(`internal: conv '${conv.name}' has no row kernel`);
  }
}

/**
 * A dense layer's tg_conv_dense_t, with its own geometry or another (a ResidualRows block runs its
 * second conv over a window of three rows).
 */
export function denseParams(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext, g = node.params.geometry): string {
  const p = node.params;
  const weights = constantData(graph, node.inputs[1]!) as Int8Array;
  const taps = weights.length / g.outC;
  const bias = node.inputs[2] ? (constantData(graph, node.inputs[2]) as Int32Array) : undefined;
  const folded = foldedBias(g.outC, taps, (c, t) => weights[c * taps + t]!, bias, p.inZeroPoint);
  return ctx.constStruct(
    'conv',
    'tg_conv_dense_t',
    `{ ${windowInitializer(g)}, ${p.inZeroPoint}, ${ctx.constArray('weights', 'int8_t', weights)}, ${ctx.constArray('bias', 'int32_t', folded)}, ${channelRequantInitializer(ctx, p.requant)} }`,
  );
}

/**
 * A call of the dense kernel's row step (tg_conv_dense_row) for a layer run row by row inside a
 * fused step: output row `oy` of `image` into `output`, with `patch` (convPatchBytes) as scratch.
 */
export function denseRowCall(conv: PreparedNode<ConvParams>, params: string, ctx: EmitContext, image: string, oy: string, output: string, patch: string): string {
  return ctx.specialised({ ...kernelOf('tg_conv_dense', conv.params.requant.mode), body: 'tg_conv_dense_row' }, params, [
    { declaration: 'const int8_t *image', name: 'image', value: image },
    { declaration: 'int32_t oy', name: 'oy', value: oy },
    { declaration: 'int8_t *output', name: 'output', value: output },
    { declaration: 'int8_t *patch', name: 'patch', value: patch },
  ]);
}

/** tg_conv_dense_s8_<mode>: int8 patches, the input zero point folded into the bias over every tap. */
function emitDense(node: PreparedNode<ConvParams>, graph: Graph, ctx: EmitContext): string {
  const p = node.params;
  const params = denseParams(node, graph, ctx);
  const args = [
    { declaration: 'const int8_t *input', name: 'input', value: ctx.pointer(node.inputs[0]!) },
    { declaration: 'int8_t *output', name: 'output', value: ctx.pointer(node.outputs[0]!) },
    { declaration: 'int8_t *patch', name: 'patch', value: ctx.scratch(node) },
  ];
  // In place (the planner's choice, see convInPlace): output rows wait in a ring after the patch.
  if (ctx.inPlace(node)) {
    return ctx.specialised(kernelOf('tg_conv_dense_in_place', p.requant.mode, 'tg_conv_dense.h'), params, [
      ...args,
      { declaration: 'int8_t *ring', name: 'ring', value: `${ctx.scratch(node)} + ${convPatchBytes(node, graph)}` },
      { declaration: 'int32_t ring_rows', name: 'ring_rows', value: String(inPlaceRingRows(node, graph)) },
    ]);
  }
  return ctx.specialised(kernelOf('tg_conv_dense', p.requant.mode), params, args);
}
