/**
 * Whole small networks of the shapes TinyML deploys, built two ways from one description: the
 * QOperator form (QLinearConv, com.microsoft QLinearAdd / QGemm / QLinearGlobalAveragePool ...)
 * and the QDQ form (DequantizeLinear → float op → QuantizeLinear, float at the API), with the
 * same integer weights and quantization, so both must compute the same bytes.
 */
import { GraphBuilder } from './onnx-builder.ts';
import { seededRandom } from '../../src/util/random.ts';

export type Form = 'qop' | 'qdq';
/** Activation type. ONNX Runtime's quantizer defaults to uint8 activations with int8 weights. */
export type ActType = 'int8' | 'uint8';

interface Q {
  scale: number;
  zp: number;
}

/** A quantized activation while the network is being built. */
interface Act {
  name: string;
  q: Q;
  shape: number[];
}

const f32 = Math.fround;

export class NetworkBuilder {
  readonly g = new GraphBuilder();
  private readonly random: () => number;
  private readonly inputName = 'input';

  constructor(
    readonly form: Form,
    seed: number,
    readonly act: ActType = 'int8',
  ) {
    this.random = seededRandom(seed);
  }

  private ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => lo + Math.floor(this.random() * (hi - lo + 1)));
  }

  /** Zero points are kept in int8 terms; a uint8 network stores them 128 higher. */
  private scalarQ(q: Q) {
    return [this.g.scalar(q.scale), this.g.scalar(this.act === 'uint8' ? q.zp + 128 : q.zp, this.act)] as const;
  }

  private dq(a: Act): string {
    const [s, z] = this.scalarQ(a.q);
    return this.g.node('DequantizeLinear', [a.name, s, z])[0]!;
  }

  private quantize(x: string, q: Q): string {
    const [s, z] = this.scalarQ(q);
    return this.g.node('QuantizeLinear', [x, s, z])[0]!;
  }

  /** The graph input: int8 in the QOperator form, float32 quantized on entry in the QDQ form. */
  input(shape: number[], q: Q = { scale: f32(1 / 32), zp: 0 }): Act {
    if (this.form === 'qop') return { name: this.g.input(this.inputName, this.act, shape), q, shape };
    const x = this.g.input(this.inputName, 'float32', shape);
    return { name: this.quantize(x, q), q, shape };
  }

  /** Output scale for an accumulator over k products, keeping typical values inside int8. */
  private outputQ(x: Act, wScale: number, k: number, relu: boolean): Q {
    const spread = Math.sqrt(k) * 40 * 73 * 2.5;
    return relu ? { scale: f32((x.q.scale * wScale * spread) / 255), zp: -128 } : { scale: f32((x.q.scale * wScale * spread) / 127), zp: 0 };
  }

  conv(x: Act, outC: number, k: number, options: { stride?: number; group?: number; relu?: boolean; pad?: number } = {}): Act {
    const { stride = 1, group = 1, relu = true } = options;
    const pad = options.pad ?? Math.floor(k / 2);
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const perGroup = c / group;
    const weights = this.g.constant('int8', [outC, perGroup, k, k], this.ints(outC * perGroup * k * k, -127, 127));
    const wScales = this.ints(outC, 2, 9).map((v) => f32(v / 1024));
    const y = this.outputQ(x, wScales.reduce((a, b) => a + b) / outC, perGroup * k * k, relu);
    const bias = this.g.constant('int32', [outC], this.ints(outC, -2000, 2000));
    const attrs = { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad], group };
    const shape = [n, outC, Math.floor((h + 2 * pad - k) / stride) + 1, Math.floor((w + 2 * pad - k) / stride) + 1];
    const wScale = this.g.constant('float32', [outC], wScales);
    const wZero = this.g.constant('int8', [outC], new Array(outC).fill(0));
    if (this.form === 'qop') {
      const [xs, xz] = this.scalarQ(x.q);
      const [ys, yz] = this.scalarQ(y);
      return { name: this.g.node('QLinearConv', [x.name, xs, xz, weights, wScale, wZero, ys, yz, bias], attrs)[0]!, q: y, shape };
    }
    const wf = this.g.node('DequantizeLinear', [weights, wScale, wZero], { axis: 0 })[0]!;
    const bScale = this.g.constant('float32', [outC], wScales.map((s) => f32(f32(x.q.scale) * s)));
    const bf = this.g.node('DequantizeLinear', [bias, bScale, this.g.constant('int32', [outC], new Array(outC).fill(0))], { axis: 0 })[0]!;
    let out = this.g.node('Conv', [this.dq(x), wf, bf], attrs)[0]!;
    if (relu) out = this.g.node('Relu', [out])[0]!;
    return { name: this.quantize(out, y), q: y, shape };
  }

  /** Residual add of two activations of one shape, with an optional ReLU. */
  add(a: Act, b: Act, relu = true): Act {
    const y: Q = { scale: f32(Math.max(a.q.scale, b.q.scale) * (relu ? 1.5 : 2)), zp: relu ? -128 : 0 };
    if (this.form === 'qop') {
      const [as, az] = this.scalarQ(a.q);
      const [bs, bz] = this.scalarQ(b.q);
      const [ys, yz] = this.scalarQ(y);
      return { name: this.g.node('QLinearAdd', [a.name, as, az, b.name, bs, bz, ys, yz], {}, { domain: 'com.microsoft' })[0]!, q: y, shape: a.shape };
    }
    let out = this.g.node('Add', [this.dq(a), this.dq(b)])[0]!;
    if (relu) out = this.g.node('Relu', [out])[0]!;
    return { name: this.quantize(out, y), q: y, shape: a.shape };
  }

  globalAveragePool(x: Act): Act {
    const shape = [x.shape[0]!, x.shape[1]!, 1, 1];
    if (this.form === 'qop') {
      const [xs, xz] = this.scalarQ(x.q);
      const [ys, yz] = this.scalarQ(x.q);
      return { name: this.g.node('QLinearGlobalAveragePool', [x.name, xs, xz, ys, yz], { channels_last: 0 }, { domain: 'com.microsoft' })[0]!, q: x.q, shape };
    }
    return { name: this.quantize(this.g.node('GlobalAveragePool', [this.dq(x)])[0]!, x.q), q: x.q, shape };
  }

  averagePool(x: Act, k: number): Act {
    const attrs = { kernel_shape: [k, k], strides: [k, k] };
    const shape = [x.shape[0]!, x.shape[1]!, Math.floor(x.shape[2]! / k), Math.floor(x.shape[3]! / k)];
    if (this.form === 'qop') {
      const [xs, xz] = this.scalarQ(x.q);
      const [ys, yz] = this.scalarQ(x.q);
      return { name: this.g.node('QLinearAveragePool', [x.name, xs, xz, ys, yz], attrs, { domain: 'com.microsoft' })[0]!, q: x.q, shape };
    }
    return { name: this.quantize(this.g.node('AveragePool', [this.dq(x)], attrs)[0]!, x.q), q: x.q, shape };
  }

  flatten(x: Act): Act {
    const shape = [x.shape[0]!, x.shape.slice(1).reduce((a, b) => a * b, 1)];
    return { name: this.g.node('Flatten', [x.name], { axis: 1 })[0]!, q: x.q, shape };
  }

  /** Fully connected: [n, k] x [k, out] + bias. */
  dense(x: Act, out: number, relu: boolean): Act {
    const k = x.shape[1]!;
    const weights = this.g.constant('int8', [k, out], this.ints(k * out, -127, 127));
    const wScale = f32(this.ints(1, 2, 9)[0]! / 1024);
    const y = this.outputQ(x, wScale, k, relu);
    const bias = this.g.constant('int32', [out], this.ints(out, -2000, 2000));
    const shape = [x.shape[0]!, out];
    if (this.form === 'qop') {
      const [xs, xz] = this.scalarQ(x.q);
      const [ys, yz] = this.scalarQ(y);
      const ws = this.g.scalar(wScale);
      const wz = this.g.scalar(0, 'int8');
      return { name: this.g.node('QGemm', [x.name, xs, xz, weights, ws, wz, bias, ys, yz], {}, { domain: 'com.microsoft' })[0]!, q: y, shape };
    }
    const wf = this.g.node('DequantizeLinear', [weights, this.g.scalar(wScale), this.g.scalar(0, 'int8')])[0]!;
    const bf = this.g.node('DequantizeLinear', [bias, this.g.scalar(f32(f32(x.q.scale) * wScale)), this.g.scalar(0, 'int32')])[0]!;
    let o = this.g.node('Gemm', [this.dq(x), wf, bf])[0]!;
    if (relu) o = this.g.node('Relu', [o])[0]!;
    return { name: this.quantize(o, y), q: y, shape };
  }

  /** Names the graph output: int8 in the QOperator form, dequantized to float32 in the QDQ form. */
  finish(x: Act, fileName: string): string {
    if (this.form === 'qop') {
      this.g.output(this.g.rename(x.name, 'output'), this.act, x.shape);
    } else {
      this.g.output(this.g.rename(this.dq(x), 'output'), 'float32', x.shape);
    }
    return this.g.save(fileName);
  }
}

export type NetworkName = 'kws_dscnn' | 'resnet_block' | 'mlp_autoencoder' | 'mobilenet_stack';
export const NETWORKS: readonly NetworkName[] = ['kws_dscnn', 'resnet_block', 'mlp_autoencoder', 'mobilenet_stack'];

/** Builds one of the test networks in the given form and activation type and returns the model's path. */
export function buildNetwork(name: NetworkName, form: Form, act: ActType = 'int8'): string {
  const b = new NetworkBuilder(form, name.length * 101, act);
  const file = `${name}_${form}_${act}.onnx`;
  switch (name) {
    case 'kws_dscnn': {
      // Depthwise-separable keyword spotter: MFCC-like [1, 1, 49, 10] in, 12 classes out.
      let x = b.conv(b.input([1, 1, 49, 10]), 16, 3, { stride: 2 });
      for (let i = 0; i < 2; i++) {
        x = b.conv(x, 16, 3, { group: 16 });
        x = b.conv(x, 16, 1);
      }
      return b.finish(b.dense(b.flatten(b.globalAveragePool(x)), 12, false), file);
    }
    case 'resnet_block': {
      // A ResNet-8-like stage: stem, one residual block, pooling, classifier.
      const stem = b.conv(b.input([1, 3, 16, 16]), 8, 3);
      const inner = b.conv(b.conv(stem, 8, 3), 8, 3, { relu: false });
      const x = b.add(stem, inner);
      return b.finish(b.dense(b.flatten(b.averagePool(x, 4)), 10, false), file);
    }
    case 'mlp_autoencoder': {
      // Anomaly-detection autoencoder: 32 → 16 → 8 → 16 → 32.
      let x = b.input([1, 32]);
      for (const width of [16, 8, 16]) x = b.dense(x, width, true);
      return b.finish(b.dense(x, 32, false), file);
    }
    case 'mobilenet_stack': {
      // MobileNetV1-like: strided stem, two strided depthwise-separable blocks, global pool.
      let x = b.conv(b.input([1, 3, 24, 24]), 8, 3, { stride: 2 });
      for (const width of [16, 32]) {
        x = b.conv(x, x.shape[1]!, 3, { stride: 2, group: x.shape[1]! });
        x = b.conv(x, width, 1);
      }
      return b.finish(b.dense(b.flatten(b.globalAveragePool(x)), 5, false), file);
    }
  }
}
