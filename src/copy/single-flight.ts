/**
 * Concurrent callers for the same key share one execution; the entry is dropped when it settles,
 * so a failure can be retried by the next caller.
 */
export class SingleFlight<K, V> {
  readonly #inFlight = new Map<K, Promise<V>>();

  /** The promise of the running call for `key`, if any. */
  get(key: K): Promise<V> | undefined {
    return this.#inFlight.get(key);
  }

  /** Runs `fn` for `key` unless a call is already running, in which case its promise is returned. */
  run(key: K, fn: () => Promise<V>): Promise<V> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const promise = fn().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }
}
