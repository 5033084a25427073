/**
 * The read-ahead worker (see ReadAhead): for each task it is given, reads the files in scan order
 * into their slots, staying at most `slots` files ahead of the scanning thread, skips files that
 * thread has taken, and finds the hints of each file that is all ASCII (where byte offsets are
 * character offsets), when it is far enough ahead to afford it.
 */
import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { findHints } from "./hints.js";
import { joinPrefix } from "./join-prefix.js";
import { declined, type ReadAheadSlots, type ReadAheadTask, reading, ready, unread } from "./read-ahead.js";

const { data, slots, slotBytes, hintPairs, maxHints } = workerData as ReadAheadSlots;
const bytes = Buffer.from(data);
/**
 * How far ahead of the scanning thread the worker must be to search a file's hints: reading alone
 * is faster than that thread, reading and searching is not, and a worker that falls behind only
 * gets in its way.
 */
const hintLead = Math.min(32, slots >> 1);
/** Where the worker goes when it is behind: this many files ahead of the scanning thread. */
const catchUp = Math.min(8, slots >> 2);

parentPort?.on("message", (task: ReadAheadTask) => {
  const { files, states, lengths, hintCounts, progress } = task;
  const prefix = joinPrefix(task.dir);
  for (let index = 0; index < files.length; index++) {
    // Behind the scanning thread (at the start, or after it went through a run of small files):
    // jump ahead of it rather than race it for the next files.
    const scanned = Atomics.load(progress, 0);
    if (index < scanned) index = scanned + catchUp;
    if (index >= files.length) return;
    // Wait for the slot: the file `slots` places back must be done with.
    for (let d = Atomics.load(progress, 0); d <= index - slots; d = Atomics.load(progress, 0)) {
      if (Atomics.load(progress, 1) === 1) return;
      Atomics.wait(progress, 0, d);
    }
    if (Atomics.load(progress, 1) === 1) return;
    if (Atomics.compareExchange(states, index, unread, reading) !== unread) continue;
    let got: number | undefined;
    try {
      const slot = index % slots;
      got = readInto(prefix + files[index]!, bytes.subarray(slot * slotBytes, (slot + 1) * slotBytes));
      if (got !== undefined) {
        lengths[index] = got;
        hintCounts[index] =
          index - Atomics.load(progress, 0) >= hintLead
            ? searchHints(bytes.subarray(slot * slotBytes, slot * slotBytes + got), slot)
            : -1;
      }
    } finally {
      Atomics.store(states, index, got === undefined ? declined : ready);
    }
  }
});

/** Reads a whole file into `slot`: its length, or undefined if it fills the slot or cannot be read. */
function readInto(file: string, slot: Uint8Array): number | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    let got = 0;
    for (;;) {
      if (got === slot.length) return undefined;
      const n = readSync(fd, slot, got, slot.length - got, null);
      if (n === 0) return got;
      got += n;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Finds the hints of ASCII `file` into its slot's pairs: how many, or -1 if it did not (see ReadAheadTask). */
function searchHints(file: Buffer, slot: number): number {
  if (!isAscii(file)) return -1;
  const base = slot * maxHints * 2;
  let count = 0;
  findHints(file.toString("latin1"), (start, end) => {
    if (count === maxHints) {
      count = -1;
      return false;
    }
    hintPairs[base + 2 * count] = start;
    hintPairs[base + 2 * count + 1] = end;
    count++;
    return true;
  });
  return count;
}
