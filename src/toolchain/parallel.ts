/** Running builds and QEMU side by side. */
/**
 * Promise.all that lets every task settle before rejecting with the first failure, so no build or
 * QEMU run is still writing into the work directory when the caller removes it.
 */
export async function allOrFirstFailure<T extends readonly unknown[]>(tasks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
