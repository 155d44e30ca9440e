/** The multi-input, multi-output graph the host and QEMU tests share. */
import { GraphBuilder } from '../helpers/onnx-builder.ts';

/** a, b [1, 2, 6, 6] → sum = QLinearAdd(a, b); conv = QLinearConv(a); outputs: conv, sum. */
export function twoInTwoOut(): string {
  const g = new GraphBuilder();
  const s = (v: number) => g.scalar(v);
  const z = (v: number) => g.scalar(v, 'int8');
  const a = g.input('a', 'int8', [1, 2, 6, 6]);
  const b = g.input('b', 'int8', [1, 2, 6, 6]);
  const [sum] = g.node('QLinearAdd', [a, s(0.05), z(1), b, s(0.03), z(-4), s(0.07), z(2)], {}, { domain: 'com.microsoft' });
  const w = g.constant('int8', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => ((i * 37) % 200) - 100));
  const [conv] = g.node('QLinearConv', [a, s(0.05), z(1), w, s(0.01), z(0), s(0.2), z(-5)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  g.output(g.rename(conv!, 'features'), 'int8', [1, 3, 6, 6]);
  g.output(g.rename(sum!, 'sum'), 'int8', [1, 2, 6, 6]);
  return g.save();
}
