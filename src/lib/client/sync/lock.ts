// One tab per device pushes at a time (sync-protocol.md "Device duties": Web Locks). Where the
// Web Locks API is absent, an in-memory lock still serializes the engines of this page.

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const chains = new Map<string, Promise<unknown>>();

/** A per-name FIFO mutex for one JavaScript realm. */
export const memoryLocks: LockLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const previous = chains.get(name) ?? Promise.resolve();
    const run = previous.then(callback, callback);
    const tail = run.catch(() => undefined);
    chains.set(name, tail);
    void tail.then(() => {
      if (chains.get(name) === tail) chains.delete(name);
    });
    return run;
  },
};

export function defaultLocks(): LockLike {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks?.request) return { request: (name, callback) => locks.request(name, callback) as Promise<never> };
  return memoryLocks;
}
