import { isMap, type Scalar, type YAMLMap } from "yaml";
import type { MappingRule } from "../../reference/mapping.js";
import { type MappedImageName, mapImageName } from "./map-image-name.js";
import { appendToScalar, pairOf, scalarPair, stringOf, type TextSplice } from "./yaml-text.js";

/** The action a step uses, without its version (`docker/build-push-action`), or undefined for a `run:` step. */
export function actionOf(step: YAMLMap): string | undefined {
  return stringOf(pairOf(step, "uses")?.value)?.replace(/@.*/, "");
}

/** A step's `with:` inputs, when it has them as a block map. */
export function inputsOf(step: YAMLMap): YAMLMap | undefined {
  const value = pairOf(step, "with")?.value;
  return isMap(value) ? value : undefined;
}

/** What a job's steps publish under the rules, and the splices that make them publish the targets too. */
export interface PublishedNames {
  /** Every mapped name found (its target already there or added now). */
  readonly names: MappedImageName[];
  /** The steps that push a mapped name with docker/build-push-action. */
  readonly buildPushSteps: YAMLMap[];
  /** Whether some `docker push` in a `run:` pushes a mapped name. */
  readonly dockerPush: boolean;
  /** The first step that pushes a mapped name (a login goes before it when the job has none). */
  readonly firstPublisher?: YAMLMap;
  readonly splices: TextSplice[];
  /** What could not be patched, for the person to do. */
  readonly notes: string[];
}

/** The list items of a `tags:` or `images:` input: one a line, and comma-separated on a line. */
function listItems(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * The splice that appends, to a list input (`tags:`, `images:`), the target of each mapped item
 * whose target is not listed yet. Both lists go in as written (docker/metadata-action and
 * docker/build-push-action read newline- or comma-separated lists).
 * https://github.com/docker/build-push-action#inputs
 */
function extendList(
  text: string,
  step: YAMLMap,
  input: string,
  rules: readonly MappingRule[],
  where: string,
  out: { names: MappedImageName[]; splices: TextSplice[]; notes: string[] },
): boolean {
  const inputs = inputsOf(step);
  const pair = inputs && scalarPair(inputs, input);
  if (!pair) return false;
  const items = listItems(stringOf(pair.value) ?? "");
  const mapped = items.flatMap((item) => mapImageName(rules, item) ?? []);
  // A name built from an expression cannot be mapped here; another step's outputs are read there.
  for (const item of items)
    if (item.startsWith("$") && !/^\$\{\{\s*steps\./.test(item))
      out.notes.push(
        `${where}: ${input}: ${item} is not a literal name: add its target by hand if a mapping moves it`,
      );
  const missing = [...new Set(mapped.map((m) => m.target).filter((t) => !items.includes(t)))];
  out.names.push(...mapped);
  if (missing.length > 0) {
    const splice = appendToScalar(text, pair, missing);
    if (splice) out.splices.push(splice);
    else
      out.notes.push(`${where}: add ${missing.join(", ")} to ${input}: by hand (a multi-line plain value)`);
  }
  return mapped.length > 0;
}

/**
 * Whether a docker/build-push-action step pushes: `push: true` (or an expression that may be true),
 * or an `outputs:` exporter that pushes. Its default is to build only, so tags alone publish nothing.
 * https://github.com/docker/build-push-action#inputs
 */
function buildPushPushes(step: YAMLMap): boolean {
  const inputs = inputsOf(step);
  const push = stringOf(inputs?.get("push", true))?.trim() ?? "false";
  const outputs = stringOf(inputs?.get("outputs", true)) ?? "";
  return push === "true" || push.includes("${{") || /type=registry|push=true/.test(outputs);
}

/** `docker push IMAGE` at the start of a script line (after `sudo`), the image as written. */
const dockerPushLine = /^([ \t]*)(?:sudo\s+)?docker\s+(?:image\s+)?push\s+(?:-\S+\s+)*([^\s;&|]+)\s*$/;

/**
 * For each `docker push SOURCE` line whose target is not pushed yet, the lines after it that tag
 * and push the target (same indentation). A block script gets them after that line; a one-line
 * `run:` becomes a block.
 */
function extendDockerPush(
  text: string,
  step: YAMLMap,
  rules: readonly MappingRule[],
  out: { names: MappedImageName[]; splices: TextSplice[] },
): boolean {
  const pair = scalarPair(step, "run");
  if (!pair) return false;
  const script = stringOf(pair.value) ?? "";
  const [start, end] = (pair.value as Scalar).range!;
  const block = pair.value!.type === "BLOCK_LITERAL" || pair.value!.type === "BLOCK_FOLDED";
  let found = false;
  let offset = start;
  for (const line of text.slice(start, end).split("\n")) {
    const lineEnd = offset + line.length;
    const match = dockerPushLine.exec(line);
    const mapped = match && mapImageName(rules, match[2]!);
    if (match && mapped) {
      found = true;
      out.names.push(mapped);
      if (!new RegExp(`docker\\s+push\\s+${escapeRegExp(mapped.target)}\\s*$`, "m").test(script)) {
        const added = [`docker tag ${mapped.text} ${mapped.target}`, `docker push ${mapped.target}`];
        if (block) {
          const at = Math.min(lineEnd + 1, text.length);
          const prefix = lineEnd >= text.length ? "\n" : "";
          out.splices.push({
            start: at,
            end: at,
            after: prefix + added.map((l) => `${match[1]}${l}\n`).join(""),
          });
        } else {
          const splice = appendToScalar(text, pair, added);
          if (splice) out.splices.push(splice);
        }
      }
    }
    offset = lineEnd + 1;
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Reads a job's steps for what they publish under the rules (docker/build-push-action `tags:`,
 * docker/metadata-action `images:`, `docker push` in scripts) and plans the splices that add each
 * target beside its source: the parallel phase, publishing to both registries.
 */
export function findPublishedNames(
  text: string,
  steps: readonly YAMLMap[],
  rules: readonly MappingRule[],
  where: string,
): PublishedNames {
  const out = { names: [] as MappedImageName[], splices: [] as TextSplice[], notes: [] as string[] };
  const metadataIds = new Set<string>();
  for (const step of steps) {
    if (actionOf(step) !== "docker/metadata-action") continue;
    const id = stringOf(pairOf(step, "id")?.value);
    if (extendList(text, step, "images", rules, where, out) && id) metadataIds.add(id);
  }
  const buildPushSteps: YAMLMap[] = [];
  const pushSteps: YAMLMap[] = [];
  for (const step of steps) {
    if (actionOf(step) === "docker/build-push-action") {
      if (!buildPushPushes(step)) continue;
      const tags = stringOf(inputsOf(step)?.get("tags", true)) ?? "";
      const viaMetadata = [...metadataIds].some((id) => tags.includes(`steps.${id}.outputs.tags`));
      if (extendList(text, step, "tags", rules, where, out) || viaMetadata) buildPushSteps.push(step);
    } else if (extendDockerPush(text, step, rules, out)) pushSteps.push(step);
  }
  const firstPublisher = steps.find((s) => buildPushSteps.includes(s) || pushSteps.includes(s));
  return {
    ...out,
    buildPushSteps,
    dockerPush: pushSteps.length > 0,
    ...(firstPublisher ? { firstPublisher } : {}),
  };
}
