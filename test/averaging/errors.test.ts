/** Bad averaging nodes are UserErrors naming the node, the op and the reason. */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { Branches, save } from './models.ts';

const q = { xs: 0.1, xz: 0, ys: 0.1, yz: 0 };

function expectUserError(path: string, pattern: RegExp): void {
  let error: unknown;
  try {
    compileModel({ modelPath: path });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toContain('\n');
}

describe('averaging ops reject what they cannot honour', () => {
  it('QLinearAveragePool with dilations', () => {
    const b = new Branches('int8');
    b.qdq('AveragePool', b.input('x', [1, 2, 6, 6]), q, { kernel_shape: [2, 2], dilations: [2, 2] });
    expectUserError(save(b.g, 19), /node 'AveragePool_\d+' \(AveragePool\): dilations other than 1/);
  });

  it('QLinearAveragePool with pads as large as the kernel', () => {
    const b = new Branches('uint8');
    b.qoperator('QLinearAveragePool', b.input('x', [1, 2, 6, 6]), { ...q, xz: 128, yz: 128 }, { kernel_shape: [2, 2], pads: [2, 0, 0, 0] });
    expectUserError(save(b.g), /\(QLinearAveragePool\): pads \[2,0,0,0\] must be smaller than the kernel/);
  });

  it('a 3-D pool', () => {
    const b = new Branches('int8');
    b.qoperator('QLinearAveragePool', b.input('x', [1, 2, 4, 4, 4]), q, { kernel_shape: [2, 2, 2] });
    expectUserError(save(b.g), /only 1-D and 2-D pooling/);
  });

  it('ReduceMean with an axis out of range', () => {
    const b = new Branches('int8');
    b.qdq('ReduceMean', b.input('x', [1, 2, 3]), q, { axes: [3] });
    expectUserError(save(b.g), /\(QLinearReduceMean\): axes \[3\] out of range for rank 3/);
  });

  it('QLinearGlobalAveragePool quantized per channel', () => {
    const b = new Branches('int8');
    const g = b.g;
    const x = b.input('x', [1, 2, 3, 3]);
    const [y] = g.node('QLinearGlobalAveragePool', [x, g.constant('float32', [2], [0.1, 0.2]), g.constant('int8', [2], [0, 0]), g.scalar(0.1), g.scalar(0, 'int8')], {}, { domain: 'com.microsoft' });
    g.output(g.rename(y!, 'y'), 'int8', []);
    expectUserError(save(g), /\(QLinearGlobalAveragePool\): input and output must be quantized per tensor/);
  });
});
