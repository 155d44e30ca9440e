/** What MLAS, ONNX Runtime's CPU math library, computes where its float order of operations shows in the bytes. */

/**
 * MLAS's NCHWc block size on the ORT host: 16 with AVX-512F (this project's machines), 8 with
 * AVX2 only. ORT's NchwcTransformer moves a float 4-D AveragePool whose channel count is a multiple
 * of it to its NCHWc kernel, which sums a window in another order than MLAS's NCHW kernels.
 */
export const ORT_NCHWC_BLOCK = 16;

/**
 * MLAS's global pooling sum (float GlobalAveragePool, and AveragePool over the whole input): 4
 * float32 lanes from 0 over the longest multiple-of-4 prefix, combined (l0 + l2) + (l1 + l3),
 * then the leftover values one by one.
 */
export function lanes4Sum(values: readonly number[]): number {
  const f32 = Math.fround;
  const body = values.length - (values.length % 4);
  const lanes = [0, 0, 0, 0];
  for (let i = 0; i < body; i++) lanes[i % 4] = f32(lanes[i % 4]! + values[i]!);
  let sum = f32(f32(lanes[0]! + lanes[2]!) + f32(lanes[1]! + lanes[3]!));
  for (let i = body; i < values.length; i++) sum = f32(sum + values[i]!);
  return sum;
}
