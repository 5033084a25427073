import { defaultLoginRegistry, type LoginSpot } from "../engine/docker-login.js";
import { entries, get, isMap, isSeq, parseYaml, scalarSpot } from "../engine/yaml/nodes.js";

/**
 * The docker/login-action steps of a workflow, each with the registry it logs in to (its
 * `registry:` input, as written; Docker Hub when there is none:
 * https://github.com/docker/login-action#inputs).
 */
export function findLoginSteps(text: string): LoginSpot[] {
  if (!text.includes("docker/login-action")) return [];
  const out: LoginSpot[] = [];
  const walk = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) walk(item);
      return;
    }
    if (!isMap(node)) return;
    const uses = scalarSpot(text, get(node, "uses"));
    if (uses !== undefined && /^docker\/login-action(?:@|$)/.test(uses.value)) {
      const registry = scalarSpot(text, get(get(node, "with"), "registry"));
      out.push(
        registry === undefined
          ? { registry: defaultLoginRegistry, offset: uses.start, context: "docker/login-action" }
          : { registry: registry.value, offset: registry.start, context: "docker/login-action" },
      );
      return;
    }
    for (const [, value] of entries(node)) walk(value);
  };
  for (const root of parseYaml(text).roots) walk(root);
  return out;
}
