/** ONNX importers of the src/ops/float-activation family: Relu (float), Clip (float), LeakyRelu (float), HardSigmoid (float), HardSwish (float), Sigmoid (float), Tanh (float). */
import type { Node } from '../../../ir/graph.ts';
import type { ImportContext, OnnxNodeView, OnnxImport } from '../import-context.ts';
import { FloatActivationOp } from '../../../ops/float-activation/definition.ts';

const FLT_MAX = 3.4028234663852886e38;

const f32 = Math.fround;

export function importFloatActivation(op: FloatActivationOp) {
  return (node: OnnxNodeView, ctx: ImportContext): Node => {
    node.requireInputs(1);
    const attrs: Node['attrs'] = {};
    let inputs = [node.input(0)];
    switch (op) {
      case 'FloatLeakyRelu':
        attrs.alpha = node.float('alpha', f32(0.01));
        break;
      case 'FloatHardSigmoid':
        attrs.alpha = node.float('alpha', f32(0.2));
        attrs.beta = node.float('beta', f32(0.5));
        break;
      case 'FloatHardSwish':
        attrs.alpha = f32(1 / 6);
        attrs.beta = 0.5;
        break;
      case 'FloatClip': {
        const opset = ctx.opset('') ?? 13;
        if (opset < 11) {
          attrs.min = node.float('min', -FLT_MAX);
          attrs.max = node.float('max', FLT_MAX);
        } else {
          inputs = [node.input(0), node.input(1), node.input(2)];
          for (const [name, role] of [[node.input(1), 'min'], [node.input(2), 'max']] as const) {
            if (name !== '') ctx.constant(node, name, role);
          }
        }
        break;
      }
      default:
        break;
    }
    ctx.declareOutput(node.outputs[0]!);
    return { name: node.name, op, inputs, outputs: [node.outputs[0]!], attrs };
  };
}

const ONNX_OPS: [FloatActivationOp, string][] = [
  ['FloatRelu', 'Relu'],
  ['FloatClip', 'Clip'],
  ['FloatLeakyRelu', 'LeakyRelu'],
  ['FloatHardSigmoid', 'HardSigmoid'],
  ['FloatHardSwish', 'HardSwish'],
  ['FloatSigmoid', 'Sigmoid'],
  ['FloatTanh', 'Tanh'],
];

export const floatActivationImports: OnnxImport[] = ONNX_OPS.map(([op, opType]) => ({ domain: '', opType, form: 'float', import: importFloatActivation(op) }));
