import { isMap, isScalar, parseDocument } from "yaml";
import { UsageError } from "../errors.js";
import { readTextFile, writeEditedFile } from "../rewrite/apply.js";
import type { Phase } from "./config/types.js";

/**
 * Records a new phase in crossdock.yaml by splicing the value of its `phase:` line, so comments,
 * order and layout stay byte for byte (never a re-serialised YAML). A file without `phase:` is
 * left alone: the project did not ask crossdock to track its phase. Returns whether it wrote.
 */
export async function recordPhase(configFile: string, phase: Phase): Promise<boolean> {
  const read = await readTextFile(configFile);
  const doc = parseDocument(read.text, { keepSourceTokens: true });
  const pair = isMap(doc.contents)
    ? doc.contents.items.find((item) => isScalar(item.key) && item.key.value === "phase")
    : undefined;
  const value = pair?.value;
  if (!isScalar(value) || !value.range) return false;
  if (value.value === phase) return false;
  const [start, end] = value.range;
  const line = read.text.slice(0, start).split("\n").length;
  const before = read.text.slice(start, end);
  if (before.includes("\n")) throw new UsageError(`${configFile}:${line}: phase: is not a one-line value`);
  await writeEditedFile(configFile, read, [{ file: configFile, start, end, before, after: phase, line }]);
  return true;
}

/**
 * The phase after a rollback: with every reference back on the source, the project is publishing
 * to both registries again (parallel); with some left switched, a finished switch (maintain) is
 * a switch in progress again. Earlier phases stay as they are.
 */
export function phaseAfterRollback(phase: Phase, referencesLeftSwitched: number): Phase {
  if (phase !== "switch" && phase !== "maintain") return phase;
  return referencesLeftSwitched === 0 ? "parallel" : "switch";
}
