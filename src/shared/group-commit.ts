/**
 * Group commit: concurrent callers' items are gathered into batches, and each batch is written by one call of
 * `write` (one multi-row statement, one pipeline). A batch is flushed on the next turn of the event loop after its
 * first item arrived (so everything that arrived in the same round of I/O goes together), at once when it holds
 * `maxBatch` items, and only while fewer than `maxInFlight` batches are being written: under load, items wait for
 * a free slot and the batches grow, which is what amortises a commit. Each caller's promise settles when its own
 * batch is written: with the item's result, or, when the batch failed, with the batch's error (every item of it).
 */
export interface GroupCommitOptions {
  /** The most items in one batch. */
  readonly maxBatch: number;
  /** The most batches being written at once. */
  readonly maxInFlight: number;
}

/** Writes a batch; resolves one result per item, in the items' order. */
export type BatchWriter<I, O> = (items: readonly I[]) => Promise<readonly O[]>;

interface Waiting<I, O> {
  readonly item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/** Returns the function that hands an item to the batches of `write` and resolves with its result. */
export function groupCommit<I, O>(
  write: BatchWriter<I, O>,
  options: GroupCommitOptions,
): (item: I) => Promise<O> {
  if (options.maxBatch < 1 || options.maxInFlight < 1)
    throw new RangeError(
      `group commit: maxBatch and maxInFlight must be at least 1 (${JSON.stringify(options)})`,
    );
  let waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const writeBatch = async (batch: Waiting<I, O>[]): Promise<void> => {
    try {
      const results = await write(batch.map((w) => w.item));
      if (results.length !== batch.length)
        throw new Error(
          `group commit: the writer returned ${results.length} results for ${batch.length} items`,
        );
      for (const [index, w] of batch.entries()) w.resolve(results[index] as O);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  };

  const flush = (): void => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < options.maxInFlight) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight += 1;
      void writeBatch(batch).finally(() => {
        inFlight -= 1;
        if (waiting.length > 0) schedule();
      });
    }
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (waiting.length >= options.maxBatch && inFlight < options.maxInFlight) flush();
      else schedule();
    });
}
