/** ONNX importers of the src/ops/resize family: Resize, Upsample (their QDQ form is ../qdq/resize.ts). */
import type { Node } from '../../../ir/graph.ts';
import { UserError } from '../../../errors.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';

const TRANSFORMS = ['half_pixel', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_half_pixel_for_nn', 'tf_crop_and_resize'];

const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

const POLICIES = ['stretch', 'not_larger', 'not_smaller'];

function floats(ctx: ImportContext, node: OnnxNodeView, name: string, role: string): number[] | undefined {
  if (name === '') return undefined;
  const t = ctx.constant(node, name, role);
  if (t.dtype !== 'float32') throw new UserError(`${node.label}: ${role} must be float32, found ${t.dtype}`);
  return t.data!.length > 0 ? Array.from(t.data as Float32Array) : undefined;
}

export function importResizeWith(node: OnnxNodeView, ctx: ImportContext, qdq: boolean): Node {
  node.requireInputs(1);
  const mode = node.string('mode', 'nearest');
  if (mode !== 'nearest') throw new UserError(`${node.label}: mode '${mode}' is not supported (only 'nearest')`);
  const upsample = node.opType === 'Upsample';
  // Upsample (opsets 7-9) and Resize-10 (two inputs) predate the coordinate and nearest modes.
  const old = upsample || node.inputs.length === 2;
  let scales: number[] | undefined;
  let sizes: number[] | undefined;
  let roi: number[] | undefined;
  if (old) {
    // Upsample-7 keeps its scales in a float-list attribute.
    scales = node.input(1) !== '' ? floats(ctx, node, node.input(1), 'scales') : node.has('scales') ? node.floats('scales', []) : undefined;
    if (!scales) throw new UserError(`${node.label}: scales are required`);
  } else {
    // roi matters to tf_crop_and_resize only (absent, it is the whole input); other modes ignore it.
    if (node.string('coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize') roi = floats(ctx, node, node.input(1), 'roi');
    scales = floats(ctx, node, node.input(2), 'scales');
    if (!scales && node.input(3) !== '') {
      const t = ctx.constant(node, node.input(3), 'sizes');
      if (t.dtype !== 'int64') throw new UserError(`${node.label}: sizes must be int64, found ${t.dtype}`);
      sizes = Array.from(t.data as BigInt64Array, Number);
    }
    if (!scales && !sizes) throw new UserError(`${node.label}: needs constant scales or sizes`);
  }
  const transform = old ? 'asymmetric' : node.string('coordinate_transformation_mode', 'half_pixel');
  if (!TRANSFORMS.includes(transform)) throw new UserError(`${node.label}: coordinate_transformation_mode '${transform}' is not one of ${TRANSFORMS.join(', ')}`);
  const nearest = old ? 'simple' : node.string('nearest_mode', 'round_prefer_floor');
  if (!old && !NEAREST_MODES.includes(nearest)) throw new UserError(`${node.label}: nearest_mode '${nearest}' is not one of ${NEAREST_MODES.join(', ')}`);
  const policy = node.string('keep_aspect_ratio_policy', 'stretch');
  if (!POLICIES.includes(policy)) throw new UserError(`${node.label}: keep_aspect_ratio_policy '${policy}' is not one of ${POLICIES.join(', ')}`);
  if (node.int('antialias', 0) !== 0) throw new UserError(`${node.label}: antialias applies to linear and cubic modes only`);
  if (node.int('exclude_outside', 0) !== 0) throw new UserError(`${node.label}: exclude_outside applies to cubic mode only`);
  const x = node.input(0);
  if (qdq && !ctx.graph.tensors.get(x)?.quant) throw new UserError(`${node.label}: the input must come through a DequantizeLinear`);
  if (!qdq) ctx.declareOutput(node.outputs[0]!);
  return {
    name: node.name,
    op: 'Resize',
    inputs: [x],
    outputs: [node.outputs[0]!],
    attrs: {
      transform,
      nearest,
      policy,
      extrapolation: node.float('extrapolation_value', 0),
      ...(scales ? { scales } : {}),
      ...(sizes ? { sizes } : {}),
      ...(roi ? { roi } : {}),
      ...(node.has('axes') ? { axes: node.ints('axes', []) } : {}),
      upsample: upsample ? 1 : 0,
      qdq: qdq ? 1 : 0,
    },
  };
}

export const importResize = (node: OnnxNodeView, ctx: ImportContext) => importResizeWith(node, ctx, false);

export const resizeImports: OnnxImport[] = [
  { domain: '', opType: 'Resize', import: importResize },
  { domain: '', opType: 'Upsample', import: importResize },
];
