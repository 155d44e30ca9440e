/**
 * Conv16x8's dense kernel on the boards: its DSP body (two pixels by two channels over interleaved
 * windows, int32 chunks of 508 columns), its MVE body (one pixel by four channels, chunks of 504)
 * and the portable one, on shapes that reach every edge: an odd output width and an odd channel
 * count (a pixel or channel paired with itself), more than 508 columns (several chunks, the int64
 * requantization), a wide bias, SAME padding and stride 2; plus a grouped layer on the generic
 * kernel. Validated bit-exact against the reference on the M4F, M55 and M3.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinygen } from '../helpers/cli.ts';
import { buildTflite, conv2dOptions, depthwiseOptions, type TensorSpec } from '../helpers/tflite-builder.ts';
import { BuiltinOperator, TensorType } from '../../src/frontend/tflite/schema.ts';
import { seededRandom } from '../../src/util/random.ts';

const { INT8, INT16, INT64 } = TensorType;
const random = seededRandom(1608);
const bytes = (n: number) => Int8Array.from({ length: n }, () => Math.floor(random() * 255) - 127);
const scales = (n: number, base: number) => Array.from({ length: n }, (_, i) => base * (1 + i / 5));

/** x [1, h, w, c] → CONV_2D (out channels, window, stride) → y, int64 bias of the given magnitude. */
function convModel(h: number, w: number, c: number, outC: number, k: [number, number], stride: number, same: boolean, biasMagnitude: number): Uint8Array {
  const outH = same ? Math.ceil(h / stride) : Math.floor((h - k[0]) / stride) + 1;
  const outW = same ? Math.ceil(w / stride) : Math.floor((w - k[1]) / stride) + 1;
  const tensors: TensorSpec[] = [
    { name: 'x', type: INT16, shape: [1, h, w, c], scale: [0.0004], zeroPoint: [0] },
    { name: 'w', type: INT8, shape: [outC, ...k, c], data: bytes(outC * k[0] * k[1] * c), scale: scales(outC, 0.003), zeroPoint: new Array(outC).fill(0), quantizedDimension: 0 },
    { name: 'b', type: INT64, shape: [outC], data: BigInt64Array.from({ length: outC }, () => BigInt(Math.floor((random() - 0.5) * biasMagnitude))) },
    { name: 'y', type: INT16, shape: [1, outH, outW, outC], scale: [0.004], zeroPoint: [0] },
  ];
  return buildTflite({ tensors, operators: [{ code: BuiltinOperator.CONV_2D, inputs: [0, 1, 2], outputs: [3], options: conv2dOptions({ padding: same ? 0 : 1, stride: [stride, stride] }) }], inputs: [0], outputs: [3] });
}

function depthwiseModel(): Uint8Array {
  const c = 6;
  return buildTflite({
    tensors: [
      { name: 'x', type: INT16, shape: [1, 5, 7, c], scale: [0.0004], zeroPoint: [0] },
      { name: 'w', type: INT8, shape: [1, 3, 3, c], data: bytes(9 * c), scale: scales(c, 0.01), zeroPoint: new Array(c).fill(0), quantizedDimension: 3 },
      { name: 'b', type: INT64, shape: [c], data: BigInt64Array.from({ length: c }, (_, i) => BigInt(i * 1000 - 2500)) },
      { name: 'y', type: INT16, shape: [1, 5, 7, c], scale: [0.002], zeroPoint: [0] },
    ],
    operators: [{ code: BuiltinOperator.DEPTHWISE_CONV_2D, inputs: [0, 1, 2], outputs: [3], options: depthwiseOptions({ padding: 0, stride: [1, 1], multiplier: 1 }) }],
    inputs: [0],
    outputs: [3],
  });
}

const MODELS: [string, () => Uint8Array][] = [
  ['odd width and channels, SAME, stride 2', () => convModel(6, 9, 12, 5, [3, 3], 2, true, 2 ** 20)],
  ['576 columns in chunks, a wide bias', () => convModel(3, 6, 64, 7, [3, 3], 1, false, 2 ** 40)],
  ['one pixel, one channel', () => convModel(1, 1, 8, 1, [1, 1], 1, false, 2 ** 10)],
  ['depthwise (the generic kernel)', depthwiseModel],
];

describe.concurrent('Conv16x8 on the M4F, M55 and M3', () => {
  it.each(MODELS)('%s: bit-exact', async (name, build) => {
    const work = mkdtempSync(join(tmpdir(), 'tinygen-conv16-'));
    try {
      const model = join(work, `${name.replace(/\W+/g, '_')}.tflite`);
      writeFileSync(model, build());
      const result = await tinygen(['validate', model, '--board', 'mps2-an386', '--board', 'mps3-an547', '--board', 'mps2-an385', '--inputs', '8', '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { cells: { passed: boolean; mismatchCount: number }[] };
      expect(report.cells).toHaveLength(3);
      for (const cell of report.cells) expect(cell).toMatchObject({ passed: true, mismatchCount: 0 });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
