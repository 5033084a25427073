import type { Scalar, YAMLMap } from "yaml";
import { classifyCandidate } from "../engine/candidate.js";
import { findingFor } from "../engine/finding.js";
import { extractYamlImages } from "../engine/yaml/images.js";
import { get, isBlockScalar, isScalar, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, Finding } from "../types.js";

/**
 * GitHub Actions workflows: `container:` (a name or `{image: ...}`), `services.*.image`,
 * `uses: docker://...`, the `images:` input of docker/metadata-action and the `tags:` input of
 * docker/build-push-action (both builds and push destinations), a `KO_DOCKER_REPO` in `env:` (where
 * ko pushes: https://ko.build/configuration/#naming-images), and `run:` scripts.
 */
export function extractGithubActions(text: string, context: ExtractContext): Finding[] {
  const hook = (map: YAMLMap, _key: string | undefined, text: string): Finding[] => {
    const out: Finding[] = [];
    const container = get(map, "container");
    const containerSpot = scalarSpot(text, container);
    if (containerSpot !== undefined)
      push(out, findingFor("github-actions", containerSpot, "field", "container:", context));
    const uses = get(map, "uses");
    const usesSpot = scalarSpot(text, uses);
    if (usesSpot?.value.startsWith("docker://")) {
      const spot = { ...usesSpot, start: usesSpot.start + 9, value: usesSpot.value.slice(9) };
      push(out, findingFor("github-actions", spot, "field", "uses: docker://", context));
    }
    const action = usesSpot?.value ?? "";
    const input = /^docker\/metadata-action@/.test(action)
      ? "images"
      : /^docker\/build-push-action@/.test(action)
        ? "tags"
        : undefined;
    const value = input === undefined ? undefined : get(get(map, "with"), input);
    if (input !== undefined && isScalar(value) && value.range != null) {
      out.push(...listEntries(text, value, input, action.replace(/@.*$/, ""), context));
    }
    const ko = scalarSpot(text, get(map, "KO_DOCKER_REPO"));
    if (ko !== undefined)
      push(out, findingFor("github-actions", ko, "registry", "KO_DOCKER_REPO:", context, { role: "push" }));
    return out;
  };
  return extractYamlImages(text, context, "github-actions", hook);
}

function push(out: Finding[], found: Finding | undefined): void {
  if (found !== undefined) out.push(found);
}

/**
 * The entries of a list input (newline- or comma-separated; `name=value,enable=...` in
 * metadata-action's `images`), each a built image. Entries that are only an expression are skipped.
 */
function listEntries(
  text: string,
  scalar: Scalar,
  input: string,
  action: string,
  context: ExtractContext,
): Finding[] {
  let start: number;
  let end: number;
  const oneLine = scalarSpot(text, scalar);
  if (oneLine !== undefined && oneLine.escaping !== "json-string") {
    start = oneLine.start;
    end = oneLine.end;
  } else if (isBlockScalar(scalar) && scalar.range != null) {
    start = text.indexOf("\n", scalar.range[0]) + 1;
    end = scalar.range[1];
    if (start <= 0) return [];
  } else {
    return [];
  }
  const out: Finding[] = [];
  for (const m of text.slice(start, end).matchAll(/[^,\n]+/g)) {
    let from = start + m.index;
    let entry = m[0];
    const eq = /^\s*([a-z-]+)=/.exec(entry);
    if (eq !== null) {
      if (eq[1] !== "name") continue;
      from += eq[0].length;
      entry = entry.slice(eq[0].length);
    }
    const lead = entry.length - entry.trimStart().length;
    const value = entry.trim();
    if (value === "" || value.startsWith("#")) continue;
    const classified = classifyCandidate(value, "field", context.rules);
    if (classified?.kind === "partial" && value.replace(/\$\{\{[^}]*\}\}/g, "") === "") continue;
    const spot = { start: from + lead, end: from + lead + value.length, value };
    push(
      out,
      findingFor("github-actions", spot, "field", `${action} ${input}:`, context, {
        build: true,
        role: "push",
      }),
    );
  }
  return out;
}
