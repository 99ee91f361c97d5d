import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.ts';

/** A writer that records its batches and doubles each item; a batch holding `poison` fails. */
function recordingWriter(poison?: number) {
  const batches: number[][] = [];
  const write = async (items: readonly number[]) => {
    batches.push([...items]);
    if (poison !== undefined && items.includes(poison)) throw new Error(`batch of ${items.length} refused`);
    return items.map((i) => i * 2);
  };
  return { batches, write };
}

describe('group commit', () => {
  it('gathers the items that arrive together into one batch, in order, and gives each its own result', async () => {
    const { batches, write } = recordingWriter();
    const submit = groupCommit(write, { maxBatch: 100, maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(submit));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('never puts more than maxBatch items in a batch', async () => {
    const { batches, write } = recordingWriter();
    const submit = groupCommit(write, { maxBatch: 2, maxInFlight: 10 });
    await Promise.all([1, 2, 3, 4, 5].map(submit));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('while maxInFlight batches are written, the items that arrive wait and form the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const submit = groupCommit(
      async (items: readonly number[]) => {
        batches.push([...items]);
        if (batches.length === 1) await held;
        return items;
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const first = submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4].map(submit);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    await expect(Promise.all([first, ...later])).resolves.toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('a failed batch fails every item of it with its error, and only those', async () => {
    const { batches, write } = recordingWriter(3);
    const submit = groupCommit(write, { maxBatch: 2, maxInFlight: 10 });
    const settled = await Promise.allSettled([1, 2, 3, 4, 5].map(submit));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(settled[2]).toMatchObject({ reason: new Error('batch of 2 refused') });
    expect(settled[3]).toMatchObject({ reason: new Error('batch of 2 refused') });
  });

  it('fails the batch when the writer returns a result count that does not match', async () => {
    const submit = groupCommit(async () => [1], { maxBatch: 10, maxInFlight: 1 });
    await expect(Promise.all([submit(1), submit(2)])).rejects.toThrow(/returned 1 results for 2 items/);
  });
});
