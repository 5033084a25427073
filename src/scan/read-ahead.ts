import { Worker } from "node:worker_threads";

/** What the read-ahead worker is given when it starts (its workerData): the slots files go in. */
export interface ReadAheadSlots {
  /** `slots` slots of `slotBytes` bytes; file i of a task goes in slot i % slots. */
  readonly data: SharedArrayBuffer;
  readonly slots: number;
  readonly slotBytes: number;
  /** Per slot, room for `maxHints` hints of its file: start and end offsets in pairs. */
  readonly hintPairs: Int32Array;
  readonly maxHints: number;
}

/** One scan's files, posted to the worker once the walk has listed them. */
export interface ReadAheadTask {
  readonly dir: string;
  /** Paths relative to `dir`, in the order the scan takes them. */
  readonly files: readonly string[];
  /** Per file: one of the states below. */
  readonly states: Int32Array;
  /** Per file: its length in its slot, once read. */
  readonly lengths: Int32Array;
  /**
   * Per file: how many hints the worker found in it (in its slot's part of `hintPairs`), or -1
   * when it did not search (bytes that are not all ASCII, more hints than fit, or no time).
   */
  readonly hintCounts: Int32Array;
  /**
   * [0]: how many files the scanning thread is done with (a slot is free once its file is);
   * [1]: 1 once the scan is over, so that the worker drops the rest of the task.
   */
  readonly progress: Int32Array;
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

/** A worker no scan uses, kept for the next one (see `ReadAhead.acquire`), and when it goes. */
let spare: { readonly ahead: ReadAhead; readonly timer: NodeJS.Timeout } | undefined;

/** How long a spare worker waits for the next scan before it stops. */
const spareMs = 10_000;

/**
 * Reads files ahead of a scan on a worker thread, and finds their hints (see FileHints), so that
 * the open/read/close system calls (on a warm cache about a third of a scan's time) and the hint
 * search (about a fifth) run on another core. The worker runs little JavaScript, unlike workers
 * that would scan (measured slower than one thread: their JIT starts cold, see bench/RESULTS.md).
 * Starting a thread takes about 20 ms, so a scan asks for one while it walks the tree, and a
 * finished scan leaves its worker to the next scan in the process for a few seconds (`migrate`
 * scans twice). The scanning thread takes files in order and never waits: whatever the worker has
 * not read yet, could not read or found too big for a slot, it reads itself, so the results never
 * depend on the worker.
 */
export class ReadAhead {
  private readonly slots: ReadAheadSlots;
  private task: ReadAheadTask | undefined;
  private readonly worker: Worker;
  private readonly bytes: Buffer;

  /**
   * Starts a worker, which waits for `read`. Use `acquire` to take a spare one when there is one.
   * The default slots (8 MiB in all) hold most source files, and let the worker get far enough
   * ahead that it seldom waits for the scanning thread (on the bench, 128 slots of 64 KiB had it
   * waiting up to a fifth of the scan while it still had hints to search).
   */
  constructor(slots = 512, slotBytes = 16 * 1024, maxHints = 256) {
    this.slots = {
      data: new SharedArrayBuffer(slots * slotBytes),
      slots,
      slotBytes,
      hintPairs: ints(slots * maxHints * 2),
      maxHints,
    };
    this.bytes = Buffer.from(this.slots.data);
    this.worker = new Worker(new URL("./read-ahead-worker.js", import.meta.url), { workerData: this.slots });
    // A worker that fails only makes the scan slower: the scanning thread reads what it left.
    this.worker.on("error", () => {});
    this.worker.unref();
  }

  /** The spare worker if there is one, else a new one; undefined if no worker can start. */
  static acquire(): ReadAhead | undefined {
    if (spare !== undefined) {
      const { ahead, timer } = spare;
      clearTimeout(timer);
      spare = undefined;
      return ahead;
    }
    try {
      return new ReadAhead();
    } catch {
      return undefined;
    }
  }

  /** Whether a spare worker is waiting for a scan (so taking it costs nothing). */
  static get spareReady(): boolean {
    return spare !== undefined;
  }

  /** Gives the worker the files of `dir` to read, in scan order (once per acquisition). */
  read(dir: string, files: readonly string[]): void {
    if (this.task !== undefined) throw new Error("ReadAhead.read: the worker has files to read already");
    const n = files.length;
    this.task = { dir, files, states: ints(n), lengths: ints(n), hintCounts: ints(n), progress: ints(2) };
    this.worker.postMessage(this.task);
  }

  /**
   * The bytes of file `index` if the worker has read it (valid until `release`), or undefined
   * when the caller must read it itself.
   */
  take(index: number): Buffer | undefined {
    const { slots, slotBytes } = this.slots;
    // Never wait: if the worker is reading this very file (or is descheduled while at it, on a
    // busy machine), reading it again here costs microseconds.
    if (this.task === undefined || Atomics.compareExchange(this.task.states, index, unread, taken) !== ready)
      return undefined;
    const start = (index % slots) * slotBytes;
    return this.bytes.subarray(start, start + this.task.lengths[index]!);
  }

  /** The hints the worker found in file `index` (after `take` gave its bytes; valid until `release`), if it searched. */
  hints(index: number): Int32Array | undefined {
    const count = this.task?.hintCounts[index] ?? -1;
    if (count < 0) return undefined;
    const start = (index % this.slots.slots) * this.slots.maxHints * 2;
    return this.slots.hintPairs.subarray(start, start + 2 * count);
  }

  /** Whether the worker has read file `index` and it waits in its slot (a test's view). */
  isReady(index: number): boolean {
    return this.task !== undefined && Atomics.load(this.task.states, index) === ready;
  }

  /** Done with file `index` (and every file before it): its slot may be reused. */
  release(index: number): void {
    if (this.task === undefined) return;
    Atomics.store(this.task.progress, 0, index + 1);
    // Waking the worker for every slot would make each file a round trip between the threads: wake
    // it when an eighth of the slots are free.
    if ((index + 1) % (this.slots.slots >> 3 || 1) === 0) Atomics.notify(this.task.progress, 0);
  }

  /**
   * The scan is over: the worker drops the rest of its files and waits as the spare for the next
   * scan (a spare already waiting stops).
   */
  finish(): void {
    if (this.task !== undefined) {
      Atomics.store(this.task.progress, 1, 1);
      Atomics.notify(this.task.progress, 0);
      this.task = undefined;
    }
    if (spare !== undefined) {
      clearTimeout(spare.timer);
      spare.ahead.stop();
    }
    const timer = setTimeout(() => {
      if (spare?.ahead === this) spare = undefined;
      this.stop();
    }, spareMs);
    timer.unref();
    spare = { ahead: this, timer };
  }

  /** Stops the worker. */
  stop(): void {
    void this.worker.terminate();
  }
}

function ints(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}
