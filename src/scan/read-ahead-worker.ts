/**
 * The read-ahead worker (see ReadAhead): reads files in scan order into their slots, staying at
 * most `slots` files ahead of the scanning thread, and skips files that thread has taken.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { joinPrefix } from "./join-prefix.js";
import { declined, type ReadAheadTask, reading, ready, unread } from "./read-ahead.js";

const { dir, files, states, lengths, done, data, slots, slotBytes } = workerData as ReadAheadTask;
const bytes = new Uint8Array(data);
const prefix = joinPrefix(dir);
for (let index = 0; index < files.length; index++) {
  // Wait for the slot: the file `slots` places back must be done with.
  for (let d = Atomics.load(done, 0); d <= index - slots; d = Atomics.load(done, 0)) Atomics.wait(done, 0, d);
  if (Atomics.compareExchange(states, index, unread, reading) !== unread) continue;
  let got: number | undefined;
  try {
    const slot = index % slots;
    got = readInto(prefix + files[index]!, bytes.subarray(slot * slotBytes, (slot + 1) * slotBytes));
    if (got !== undefined) lengths[index] = got;
  } finally {
    Atomics.store(states, index, got === undefined ? declined : ready);
  }
}

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
