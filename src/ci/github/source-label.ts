// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions (${{ }}) are the text written
import { isScalar, type YAMLMap } from "yaml";
import { actionOf, inputsOf } from "./publish-steps.js";
import {
  appendToScalar,
  insertLinesAfter,
  mapColumn,
  pairOf,
  scalarPair,
  stringOf,
  type TextSplice,
} from "./yaml-text.js";

/**
 * The label that links a GHCR package to the repository it is built from. Without the link, GHCR
 * refuses the workflow's GITHUB_TOKEN on push (`denied: permission_denied: write_package`).
 * https://docs.github.com/en/packages/learn-github-packages/connecting-a-repository-to-a-package
 */
export const sourceLabel =
  "org.opencontainers.image.source=${{ github.server_url }}/${{ github.repository }}";

const sourceLabelKey = "org.opencontainers.image.source";

/**
 * Splices that give each pushing docker/build-push-action step the source label: a `labels:` input
 * when there is none, else one more line in it. A step that already sets the label, or passes
 * docker/metadata-action's labels (which hold it), is left alone.
 * https://github.com/docker/metadata-action#outputs
 */
export function labelBuildPushSteps(
  text: string,
  buildPushSteps: readonly YAMLMap[],
  allSteps: readonly YAMLMap[],
): TextSplice[] {
  const metadataIds = allSteps
    .filter((s) => actionOf(s) === "docker/metadata-action")
    .flatMap((s) => stringOf(pairOf(s, "id")?.value) ?? []);
  const splices: TextSplice[] = [];
  for (const step of buildPushSteps) {
    const inputs = inputsOf(step);
    if (!inputs) continue;
    const labels = scalarPair(inputs, "labels");
    if (!labels) {
      const indent = " ".repeat(mapColumn(text, inputs));
      splices.push(insertLinesAfter(text, inputs, [`${indent}labels: ${sourceLabel}`]));
      continue;
    }
    const value = stringOf(labels.value) ?? "";
    if (value.includes(sourceLabelKey)) continue;
    if (metadataIds.some((id) => value.includes(`steps.${id}.outputs.labels`))) continue;
    const splice = appendToScalar(text, labels, [sourceLabel]);
    if (splice) splices.push(splice);
  }
  return splices;
}

/** `docker build` or `docker buildx build` in a script line, up to the word `build`. */
const dockerBuild = /\bdocker\s+(?:buildx\s+|image\s+)?build\b/;

/**
 * Splices that add `--label org.opencontainers.image.source=...` to each `docker build` of the
 * job's scripts that lacks it (a job that publishes with `docker push` builds its images itself).
 */
export function labelDockerBuilds(text: string, steps: readonly YAMLMap[]): TextSplice[] {
  const splices: TextSplice[] = [];
  for (const step of steps) {
    const run = pairOf(step, "run")?.value;
    // A double-quoted script cannot take the label's quotes as they are.
    if (!isScalar(run) || !run.range || run.type === "QUOTE_DOUBLE") continue;
    const [start, end] = run.range;
    let offset = start;
    for (const line of text.slice(start, end).split("\n")) {
      const match = dockerBuild.exec(line);
      if (match && !line.includes(sourceLabelKey)) {
        const at = offset + match.index + match[0].length;
        splices.push({ start: at, end: at, after: ` --label "${sourceLabel}"` });
      }
      offset += line.length + 1;
    }
  }
  return splices;
}
