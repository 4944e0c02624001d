// Runs async jobs with bounded concurrency, in order of submission; results keep the input order.

/** Maps `items` through `fn` with at most `concurrency` calls in flight. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** A gate letting at most `concurrency` jobs run at once, across callers; jobs start in call order. */
export function limiter(concurrency: number): <R>(job: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <R>(job: () => Promise<R>): Promise<R> => {
    // A finishing job hands its slot straight to the next waiter, so a newcomer cannot slip in between.
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
