/**
 * What the float pools refuse (a UserError naming the node and the reason), and how float and
 * integer MaxPool coexist: a float32 input takes the float op only when float ops are allowed.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { compileModel } from '../../src/pipeline.ts';
import { UserError } from '../../src/errors.ts';
import { GraphBuilder } from '../helpers/onnx-builder.ts';
import { singleNodeModel } from './models.ts';

function compileError(path: string, allowFloat = true): string {
  try {
    compileModel({ modelPath: path, allowFloat });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected a UserError');
}

describe('float pools: refused input', () => {
  it('MaxPool with its Indices output', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 1, 4, 4]);
    const [y, i] = g.node('MaxPool', [x], { kernel_shape: [2, 2] }, { outputs: 2 });
    g.output(y!, 'float32', [1, 1, 3, 3]);
    g.output(i!, 'int64', [1, 1, 3, 3]);
    expect(compileError(g.save())).toMatch(/node 'MaxPool_0' \(MaxPool\): the Indices output is not supported/);
  });

  it('missing kernel_shape, a bad auto_pad, a 4-D window, a window that does not fit', () => {
    expect(compileError(singleNodeModel('AveragePool', [1, 1, 4, 4], {}, 22))).toMatch(/node 'AveragePool_0' \(AveragePool\): kernel_shape is required/);
    expect(compileError(singleNodeModel('MaxPool', [1, 1, 4, 4], { kernel_shape: [2, 2], auto_pad: 'SAME' }, 22))).toMatch(
      /node 'MaxPool_0' \(MaxPool\): auto_pad 'SAME' is not one of/,
    );
    expect(compileError(singleNodeModel('AveragePool', [1, 1, 2, 2, 2, 2], { kernel_shape: [1, 1, 1, 1] }, 22))).toMatch(
      /node 'AveragePool_0' \(FloatAveragePool\).*only 1-D, 2-D and 3-D windows/,
    );
    expect(compileError(singleNodeModel('MaxPool', [1, 1, 4, 4], { kernel_shape: [2, 2, 2] }, 22))).toMatch(/needs an input of rank 5/);
    expect(compileError(singleNodeModel('MaxPool', [1, 1, 4, 4], { kernel_shape: [3, 3], dilations: [2, 2] }, 22))).toMatch(
      /node 'MaxPool_0' \(FloatMaxPool\).*does not fit/,
    );
    expect(compileError(singleNodeModel('AveragePool', [1, 1, 4, 4], { kernel_shape: [2, 2], strides: [1] }, 22))).toMatch(/strides \[1\] must have 2 values/);
  });

  it('GlobalAveragePool without a spatial axis', () => {
    expect(compileError(singleNodeModel('GlobalAveragePool', [2, 3], {}, 22))).toMatch(/FloatGlobalAveragePool.*at least one spatial axis/);
  });

  it('ReduceMean: axes in the wrong form for the opset, out of range, repeated, not constant', () => {
    expect(compileError(singleNodeModel('ReduceMean', [2, 3], { axes: [1] }, 18))).toMatch(/node 'ReduceMean_\d+' \(ReduceMean\): from opset 18 the axes are an input/);
    expect(compileError(singleNodeModel('ReduceMean', [2, 3], {}, 13, [[1]]))).toMatch(/before opset 18 the axes are an attribute/);
    expect(compileError(singleNodeModel('ReduceMean', [2, 3], {}, 18, [[2]]))).toMatch(/axis 2 is out of range for rank 2/);
    expect(compileError(singleNodeModel('ReduceMean', [2, 3], { axes: [1, -1] }, 13))).toMatch(/repeat an axis/);
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    const axes = g.input('axes', 'int64', [1]);
    const [y] = g.node('ReduceMean', [x, axes]);
    g.output(y!, 'float32', [2, 1]);
    const model = onnxProto.onnx.ModelProto.decode(g.encode());
    model.opsetImport = [{ domain: '', version: 18 }];
    const path = join(mkdtempSync(join(tmpdir(), 'tinygen-float-pool-')), 'model.onnx');
    writeFileSync(path, onnxProto.onnx.ModelProto.encode(model).finish());
    expect(compileError(path)).toMatch(/node 'ReduceMean_\d+' \(ReduceMean\): axes 'axes' must be a constant initializer/);
  });

  it('float pools are refused unless float ops are allowed', () => {
    expect(compileError(singleNodeModel('AveragePool', [1, 1, 4, 4], { kernel_shape: [2, 2] }, 22), false)).toMatch(/AveragePool/);
    expect(compileError(singleNodeModel('MaxPool', [1, 1, 4, 4], { kernel_shape: [2, 2] }, 22), false)).toMatch(/node 'MaxPool_0' \(MaxPool\): input 'x0(_nhwc_in)?' is float32; supported: int8, uint8/);
  });
});

describe('float and integer MaxPool side by side', () => {
  it('a float32 input takes FloatMaxPool, an int8 input the integer MaxPool, in one model', () => {
    const g = new GraphBuilder();
    const xf = g.input('xf', 'float32', [1, 2, 5, 5]);
    const xi = g.input('xi', 'int8', [1, 2, 5, 5]);
    const [yf] = g.node('MaxPool', [xf], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    const [yi] = g.node('MaxPool', [xi], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    g.output(yf!, 'float32', [1, 2, 5, 5]);
    g.output(yi!, 'int8', [1, 2, 5, 5]);
    const compiled = compileModel({ modelPath: g.save(), allowFloat: true });
    expect(compiled.graph.nodes.map((n) => n.op).filter((op) => op.endsWith('MaxPool')).sort()).toEqual(['FloatMaxPool', 'MaxPool']);
  });

  it('without float ops, an int8 MaxPool model compiles as before', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'int8', [1, 1, 4, 4]);
    const [y] = g.node('MaxPool', [x], { kernel_shape: [2, 2] });
    g.output(y!, 'int8', [1, 1, 3, 3]);
    const compiled = compileModel({ modelPath: g.save() });
    expect(compiled.graph.nodes.map((n) => n.op).filter((op) => op.endsWith('MaxPool'))).toEqual(['MaxPool']);
  });
});
