import { Worker } from "node:worker_threads";

/** What the read-ahead worker is given (its workerData). */
export interface ReadAheadTask {
  readonly dir: string;
  /** Paths relative to `dir`, in the order the scan takes them. */
  readonly files: readonly string[];
  /** Per file: one of the states below. */
  readonly states: Int32Array;
  /** Per file: its length in its slot, once read. */
  readonly lengths: Int32Array;
  /** [0]: how many files the scanning thread is done with (a slot is free once its file is). */
  readonly done: Int32Array;
  /** `slots` slots of `slotBytes` bytes; file i goes in slot i % slots. */
  readonly data: SharedArrayBuffer;
  readonly slots: number;
  readonly slotBytes: number;
}

/**
 * States of a file: not taken yet, taken by the scanning thread, being read by the worker, in its
 * slot, or left to the scanning thread (unreadable or too big for a slot).
 */
export const unread = 0;
export const taken = 1;
export const reading = 2;
export const ready = 3;
export const declined = 4;

/**
 * Reads files ahead of a scan on a worker thread, so that the open/read/close system calls (on a
 * warm cache about a third of a scan's time) run on another core. The worker runs little
 * JavaScript: it starts in about 20 ms and needs no JIT warm-up, unlike workers that would scan
 * (measured slower than one thread, see bench/RESULTS.md). The scanning thread takes files in
 * order and never waits: whatever the worker has not read yet, could not read or found too big
 * for a slot, it reads itself, so the results never depend on the worker.
 */
export class ReadAhead {
  private readonly task: ReadAheadTask;
  private readonly worker: Worker;
  private readonly bytes: Buffer;

  constructor(dir: string, files: readonly string[], slots = 128, slotBytes = 64 * 1024) {
    const ints = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
    this.task = {
      dir,
      files,
      states: ints(files.length),
      lengths: ints(files.length),
      done: ints(1),
      data: new SharedArrayBuffer(slots * slotBytes),
      slots,
      slotBytes,
    };
    this.bytes = Buffer.from(this.task.data);
    this.worker = new Worker(new URL("./read-ahead-worker.js", import.meta.url), { workerData: this.task });
    // A worker that fails only makes the scan slower: the scanning thread reads what it left.
    this.worker.on("error", () => {});
    this.worker.unref();
  }

  /**
   * The bytes of file `index` if the worker has read it (valid until `release`), or undefined
   * when the caller must read it itself.
   */
  take(index: number): Buffer | undefined {
    const { states, lengths, slots, slotBytes } = this.task;
    // Never wait: if the worker is reading this very file (or is descheduled while at it, on a
    // busy machine), reading it again here costs microseconds.
    if (Atomics.compareExchange(states, index, unread, taken) !== ready) return undefined;
    const start = (index % slots) * slotBytes;
    return this.bytes.subarray(start, start + lengths[index]!);
  }

  /** Whether the worker has read file `index` and it waits in its slot (a test's view). */
  isReady(index: number): boolean {
    return Atomics.load(this.task.states, index) === ready;
  }

  /** Done with file `index` (and every file before it): its slot may be reused. */
  release(index: number): void {
    Atomics.store(this.task.done, 0, index + 1);
    // Waking the worker for every slot would make each file a round trip between the threads.
    if (index % 16 === 15) Atomics.notify(this.task.done, 0);
  }

  /** Stops the worker. */
  stop(): void {
    void this.worker.terminate();
  }
}
