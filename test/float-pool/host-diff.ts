/**
 * The host C against the reference for float models (compiled with float ops allowed): random
 * inputs in [-8, 8) (half on a 1/16 grid), with some elements replaced by -0 and +0 so the sign
 * of zero sums shows, compared byte for byte.
 */
import { hostDiff, type HostDiff } from '../helpers/host-diff.ts';

export type FloatHostDiff = HostDiff;

export function floatHostDiff(modelPath: string, inputs = 4, seed = 1): Promise<FloatHostDiff> {
  return hostDiff(modelPath, 'onnx', inputs, seed, {
    allowFloat: true,
    edit(values, random) {
      for (const v of values) {
        const data = v.data as Float32Array;
        for (let j = 0; j < data.length; j++) if (random() < 0.05) data[j] = random() < 0.5 ? -0 : 0;
      }
    },
  });
}
