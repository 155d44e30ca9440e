/**
 * DequantizeLinear → Conv → QuantizeLinear becomes QLinearConv (see OnnxImport 'qdq' in
 * src/frontend/onnx/import-context.ts), or Conv16x8 when the activations are int16 (int8 weights,
 * an int32 or int64 bias): TFLite's 16x8 convolution, which tinygen computes as TFLM does. ONNX
 * Runtime fuses only 8-bit QDQ and runs such a pattern in float, so the node carries
 * attrs.onnx_int16_qdq and Conv16x8 refuses it in onnx rounding (src/ops/common/onnx-int16.ts).
 */
import type { Node } from '../../../ir/graph.ts';
import { elementCount } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { importWindowAttrs } from '../import/window.ts';

export function importQdqConv(node: OnnxNodeView, ctx: ImportContext): Node {
  node.requireInputs(2);
  const [x, w] = node.inputs as [string, string];
  const bias = node.input(2);
  const weights = ctx.constant(node, w, 'weight');
  if (!weights.quant) throw new UserError(`${node.label}: the weight must come through a DequantizeLinear`);
  const input = ctx.graph.tensors.get(x);
  if (!input?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  const sixteen = input.dtype === 'int16' || ctx.graph.tensors.get(node.outputs[0]!)?.dtype === 'int16';
  const group = node.int('group', 1);
  if (sixteen) checkSixteen(node, ctx, x, weights.name, bias, group);
  else if (bias !== '') {
    const b = ctx.constant(node, bias, 'bias');
    if (b.dtype !== 'int32') throw new UserError(`${node.label}: the bias must be int32 behind a DequantizeLinear, found ${b.dtype}`);
  }
  return {
    name: node.name,
    op: sixteen ? 'Conv16x8' : 'QLinearConv',
    inputs: bias === '' ? [x, w] : [x, w, bias],
    outputs: [node.outputs[0]!],
    attrs: {
      ...importWindowAttrs(node, node.ints('kernel_shape', weights.shape.slice(2)), { allow1d: true }),
      group,
      ...(sixteen ? { onnx_int16_qdq: 'Conv' } : {}),
    },
  };
}

/**
 * A 16x8 conv as TFLM takes it: int16 in and out, int8 weights, an int64 or int32 bias (int64 for
 * a depthwise layer: TFLM's 16x8 depthwise kernel reads int64 whatever the file says), and zero
 * points all 0 (TFLM's 16x8 kernels read none, so a nonzero one would be silently dropped).
 */
function checkSixteen(node: OnnxNodeView, ctx: ImportContext, x: string, w: string, bias: string, group: number): void {
  const y = node.outputs[0]!;
  for (const [name, role, dtype] of [[x, 'input', 'int16'], [w, 'weight', 'int8'], [y, 'output', 'int16']] as const) {
    const t = ctx.graph.tensors.get(name)!;
    if (t.dtype !== dtype) throw new UserError(`${node.label}: an int16 QDQ Conv needs an int16 input and output and int8 weights; the ${role} '${name}' is ${t.dtype}`);
    const z = t.quant?.zeroPoint.find((v) => v !== 0);
    if (z !== undefined) throw new UserError(`${node.label}: the ${role} '${name}' has zero point ${z}; an int16 QDQ Conv computes TFLite's 16x8 convolution, which has none`);
  }
  if (bias === '') return;
  const b = ctx.constant(node, bias, 'bias');
  const weights = ctx.graph.tensors.get(w)!;
  const outC = weights.shape[0]!;
  const depthwise = group > 1 && weights.shape[1] === 1;
  const types = depthwise ? ['int64'] : ['int64', 'int32'];
  if (!types.includes(b.dtype) || elementCount(b.shape) !== outC) {
    throw new UserError(`${node.label}: the bias '${bias}' of an int16 QDQ Conv must be ${types.join(' or ')} with ${outC} values behind a DequantizeLinear, found ${b.dtype} [${b.shape}]`);
  }
}

export const qlinearConvQdqImports: OnnxImport[] = [{ domain: '', opType: 'Conv', form: 'qdq', import: importQdqConv }];
