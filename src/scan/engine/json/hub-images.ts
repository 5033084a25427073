import type { ExtractContext, Finding, Form } from "../../types.js";
import { classifyCandidate } from "../candidate.js";
import { findingForFields } from "../finding.js";
import type { JsonNode, JsonString } from "./parse.js";

/**
 * Where a bare `"image": "proxy"` gets its registry: the nearest enclosing object's non-empty
 * `"hub"` (with that object's `"tag"`), else the document's `global.hub` and `global.tag`. Istio's
 * values (often JSON inside a ConfigMap) name images this way: `global.hub: example.io/mesh`,
 * `global.proxy.image: proxy`, `pilot.image: pilot` with `pilot.hub: ""`.
 * https://istio.io/latest/docs/reference/config/istio.operator.v1alpha1/ (`hub`, `tag`)
 */
export interface HubScope {
  readonly hub: string;
  readonly tag?: string;
  readonly hubNode: JsonString;
}

/** The hub scope an object sets (its own non-empty `"hub"`), or `outer` when it sets none. */
export function hubScopeOf(node: JsonNode, outer: HubScope | undefined): HubScope | undefined {
  if (node.type !== "object") return outer;
  const hub = stringMember(node, "hub");
  if (hub === undefined || !hub.value.includes(".") || /[\s:@]/.test(hub.value)) return outer;
  const tag = stringMember(node, "tag")?.value;
  return tag === undefined || tag === ""
    ? { hub: hub.value, hubNode: hub }
    : { hub: hub.value, tag, hubNode: hub };
}

/** The document's `global` hub scope (the default for every object), if it has one. */
export function globalHubScope(root: JsonNode): HubScope | undefined {
  if (root.type !== "object") return undefined;
  const global = root.entries.find((e) => e.key.value === "global")?.value;
  return global === undefined ? undefined : hubScopeOf(global, undefined);
}

/**
 * A bare image name under a hub, as a partial reference (`{{ hub }}/proxy:{{ tag }}`, resolving to
 * `example.io/mesh/proxy:1.2`): reported so the inventory is whole, never edited itself, since the
 * hub is reported and rewritten as a prefix where it stands.
 */
export function hubImageFinding(
  image: JsonString,
  scope: HubScope,
  form: Form,
  ctx: ExtractContext,
): Finding | undefined {
  // A bare name that is an image on its own (not `welcome.png`, a file).
  if (
    !/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(image.value) ||
    classifyCandidate(image.value, "field") === undefined
  )
    return undefined;
  const tagged = scope.tag === undefined ? "" : ":{{ tag }}";
  const spot = {
    start: image.start,
    end: image.end,
    value: image.value,
    escaping: "json-string",
    role: "repository",
  } as const;
  const found = findingForFields(
    form,
    `{{ hub }}/${image.value}${tagged}`,
    [spot],
    `"image": under "hub": ${scope.hub}`,
    ctx,
  );
  if (found === undefined) return undefined;
  const resolved = `${scope.hub}/${image.value}${scope.tag === undefined ? "" : `:${scope.tag}`}`;
  return { ...found, resolved };
}

function stringMember(node: JsonNode & { type: "object" }, key: string): JsonString | undefined {
  const value = node.entries.find((e) => e.key.value === key)?.value;
  return value?.type === "string" ? value : undefined;
}
