/** A graph with two inputs and two outputs, bit-exact under QEMU (the host side: multi-io.test.ts). */
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/validate.ts';
import { twoInTwoOut } from './two-in-two-out.ts';

describe('multi-input, multi-output graphs', () => {
  it('are bit-exact under QEMU', async () => {
    const report = await validate({ modelPath: twoInTwoOut(), board: 'mps2-an386', inputs: 5 });
    expect(report.bytesCompared).toBe(5 * (108 + 72));
    expect(report.mismatchCount).toBe(0);
    expect(report.passed).toBe(true);
  });
});
