/** Running builds and QEMU side by side. */
import { availableParallelism } from 'node:os';
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

/**
 * Runs `work` over `items` with at most `jobs` at a time, and returns the results in input order.
 * Rejects with the first failure once the running tasks have settled; no new task starts after it.
 */
export async function mapInParallel<T, R>(items: readonly T[], jobs: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await allOrFirstFailure(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

// Compiler processes are limited to one per CPU across the whole process, so builds running side
// by side (the validation matrix, a test file's builds) do not start CPUs x CPUs of them.
let slotsInUse = 0;
const waiters: (() => void)[] = [];

/** Runs `task` when one of the process's CPU slots is free. */
export async function limitToCpus<T>(task: () => Promise<T>): Promise<T> {
  if (slotsInUse < availableParallelism()) slotsInUse++;
  else await new Promise<void>((resolve) => waiters.push(resolve));
  try {
    return await task();
  } finally {
    // Hand the slot straight to the next waiter, if any.
    const next = waiters.shift();
    if (next) next();
    else slotsInUse--;
  }
}
