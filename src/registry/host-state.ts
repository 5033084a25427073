import { setTimeout as sleep } from "node:timers/promises";
import { registryKeyOf } from "./hosts.js";

/**
 * What one client knows about one registry host, shared by every request to it (as regclient's
 * per-host state): after a 429 or a 5xx, no request goes to the host before the backoff (or the
 * Retry-After it stated) has passed, whichever request got the answer.
 * https://github.com/regclient/regclient/blob/main/internal/reqmeta/reqmeta.go
 */
export class HostState {
  /** No request to this host before this time (ms since the epoch). */
  #notBefore = 0;

  /** Waits until the host's backoff, if any, has passed. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (let wait = this.#notBefore - Date.now(); wait > 0; wait = this.#notBefore - Date.now()) {
      await sleep(wait, undefined, signal ? { signal } : undefined);
    }
  }

  /** Holds every request to this host for `ms` from now (a later hold already set is kept). */
  backOff(ms: number, now = Date.now()): void {
    this.#notBefore = Math.max(this.#notBefore, now + ms);
  }

  /** How long requests to this host are still held (0 when they are not). */
  heldFor(now = Date.now()): number {
    return Math.max(0, this.#notBefore - now);
  }
}

/** One HostState per registry host, for one client: explicit state, never a module global. */
export class HostStates {
  readonly #states = new Map<string, HostState>();

  /** The state of `host` (`host[:port]`; Docker Hub's aliases are one host), created on first use. */
  of(host: string): HostState {
    const key = registryKeyOf(host);
    let state = this.#states.get(key);
    if (state === undefined) {
      state = new HostState();
      this.#states.set(key, state);
    }
    return state;
  }
}
