import { anchoredReference } from "../../reference/grammar.js";
import { type MappingRule, parsePrefix, prefixMatches } from "../../reference/mapping.js";
import { isDomainComponent, type Reference, tryParseReference } from "../../reference/reference.js";
import type { ReferenceKind } from "../types.js";
import { isCodeHost, isKnownRegistryHost, isLoopbackHost } from "./known-registries.js";

/**
 * Variables and templates a partial reference may hold: GitHub Actions `${{ }}`, Helm/Go `{{ }}`,
 * shell and Make `${X}`, `${X:-default}`, `$(X)`, `$X`, printf verbs, Python/ytt `.format()`
 * fields (`{}`, `{0}`) and jq string interpolation (`\(.tag)`).
 */
export const variablePattern =
  /\$\{\{[^}]*\}\}|\{\{[^}]*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[sv]|\{[0-9]?\}|\\\(\.[\w.]*\)/g;

const zeroDigest = `@sha256:${"0".repeat(64)}`;

/** What a candidate string is, when it is a reference at all. */
export interface Classified {
  readonly kind: ReferenceKind;
  readonly variables?: readonly string[];
  /** The parsed reference (complete), or the parse of the literal skeleton (partial). */
  readonly reference?: Reference;
  /** For a prefix: its normalized text. */
  readonly prefix?: string;
  /** Whether the literal text names a well-known registry host. */
  readonly knownHost: boolean;
  /** Whether a `--map` rule's `from` prefix covers it. */
  readonly mapped: boolean;
  /**
   * Found in free text by its shape alone, with nothing that says image: no registry host of its
   * own (or only a loopback one, as in `localhost:8080/api/v1/things`), no tag, no digest. Such a
   * `ORG/name` is as often a GitHub repository or a Go module path; see `evidence.ts`.
   */
  readonly noEvidence?: true;
}

/** How much to trust the place a candidate was found. */
export type Trust =
  /** A structured image field (`image:` in YAML, `FROM`, `docker pull`): anything that parses. */
  | "field"
  /** A variable that holds a registry or prefix (`REGISTRY=`, `*_PREFIX=`): a prefix unless it has a tag. */
  | "registry"
  /** Free text: only with a known registry host or under a mapping rule. */
  | "free";

/** File extensions that make a would-be name a file path instead. */
const fileExtension =
  /\.(?:png|jpe?g|gif|svg|ico|webp|pdf|md|rst|txt|ya?ml|json|toml|ini|cfg|html?|css|sh|py|go|js|ts|java|tar|gz|tgz|zip|mod|sum|lock|log|csv|xml|proto|ipynb)$/;

/**
 * A path component that names a Helm chart repository in a registry (`quay.io/ORG/charts/app`,
 * `oci://HOST/helm-charts`): charts are OCI artifacts but not images
 * (https://helm.sh/docs/topics/registries/). Read only in free text without a tag.
 */
const chartComponent = /(?:^|\/)(?:[\w.-]*-)?charts(?:\/|$)/;

/** An IP-like host (`10.0.0`): digits and dots only. A host is an IPv4 address only with four parts. */
const numericHost = /^[0-9.]+(?::[0-9]+)?$/;
const ipv4Host = /^(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?::[0-9]+)?$/;

/**
 * Decides whether `value` is an image reference found with the given trust, and what kind.
 * Returns undefined when it is not one (does not parse, only variables, looks like a path, ...).
 */
export function classifyCandidate(
  value: string,
  trust: Trust,
  rules: readonly MappingRule[] = [],
): Classified | undefined {
  if (value === "" || value.includes("://") || /^[./~\-:@]/.test(value)) return undefined;
  const variables = value.match(variablePattern) ?? [];
  // A digest that is all variable (`@sha256:${DIGEST}`, jq's `@sha256:\(.sha256)`) stands for a valid one.
  const skeleton =
    variables.length > 0 ? value.replace(variablePattern, "x").replace(/@sha256:x$/, zeroDigest) : value;
  const literal = variables.length > 0 ? value.replace(variablePattern, "") : value;
  if (variables.length > 0 && trust !== "field" && !/[a-z0-9]{2,}/.test(literal)) return undefined;
  const first = skeleton.includes("/") ? skeleton.slice(0, skeleton.indexOf("/")) : "";
  const literalFirst = value.includes("/") ? value.slice(0, value.indexOf("/")) : "";
  const knownHost = literalFirst !== "" && isKnownRegistryHost(literalFirst);
  // Free text needs a known host or a rule: most words of prose and code end here, unparsed.
  const mentioned = rules.some((rule) => mentions(value, rule));
  if (trust === "free" && !knownHost && !mentioned) return undefined;
  // In free text a loopback host is a web server as often as a registry (`curl localhost:8080/api/`,
  // `"localhost:8080/volumes/${NS}/pvcs"`): only a tag or digest makes it an image there; a tagless
  // whole name still counts when the repository names it as an image elsewhere (evidence.ts).
  if (
    trust === "free" &&
    !mentioned &&
    isLoopbackHost(literalFirst) &&
    !/[:@]/.test(lastComponent(skeleton)) &&
    (variables.length > 0 || skeleton.endsWith("/") || !skeleton.slice(first.length + 1).includes("/"))
  )
    return undefined;
  if (skeleton.endsWith("/") || (trust === "registry" && !/[:@]/.test(lastComponent(skeleton)))) {
    return classifyPrefix(value, skeleton, variables, trust, knownHost, rules);
  }
  // The grammar alone first: a failed parse throws, and exceptions are slow when most tokens fail.
  const reference = anchoredReference.test(skeleton) ? parseCandidate(skeleton) : undefined;
  if (reference === undefined) return undefined;
  // `logo.png`, `docs/arch.svg`: a file, whatever the key says (Hugo front matter has `image:` too).
  if (fileExtension.test(reference.path) && reference.tag === undefined) return undefined;
  const mapped = variables.length === 0 && rules.some((rule) => prefixMatches(rule.from, reference.name));
  // Under a rule's target too: after a rewrite, verify must find the same references it moved.
  const ruled =
    mapped || (variables.length === 0 && rules.some((rule) => prefixMatches(rule.to, reference.name)));
  if (trust === "free" && !knownHost && !ruled) return undefined;
  if (trust === "registry" && !knownHost && !ruled && !isDomainComponent(first)) return undefined;
  // A rule's own prefix, written bare (`REGISTRY=docker.io/kubeflowkatib` in prose), is a prefix on either side of the move.
  if (
    trust !== "field" &&
    reference.tag === undefined &&
    reference.digest === undefined &&
    isRulePrefix(reference.name, rules)
  ) {
    return classifyPrefix(value, skeleton, variables, trust, knownHost, rules);
  }
  if (variables.length > 0) return { kind: "partial", variables, reference, knownHost, mapped };
  // A known host with at most one path component and no tag, outside an image field, is a namespace.
  if (trust === "free" && reference.tag === undefined && reference.digest === undefined) {
    const ownPath = value.slice(value.indexOf("/") + 1);
    if (knownHost && !ownPath.includes("/")) {
      return classifyPrefix(value, skeleton, variables, trust, knownHost, rules);
    }
  }
  if (trust === "free" && reference.tag === undefined && reference.digest === undefined) {
    if (chartComponent.test(reference.path) && !mapped) return undefined;
    const host = isDomainComponent(literalFirst) && !isLoopbackHost(literalFirst);
    if (!host) return { kind: "complete", reference, knownHost, mapped, noEvidence: true };
  }
  return { kind: "complete", reference, knownHost, mapped };
}

/**
 * A candidate parsed as a reference, or undefined. No cache: a real tree has hundreds of
 * references, not the synthetic bench's tens of thousands, and a module-level cache was state
 * shared by every scan in the process (see bench/RESULTS.md).
 */
export function parseCandidate(value: string): Reference | undefined {
  return tryParseReference(value);
}

/** Whether a value could lie under a rule's `from` or `to` (a cheap text test before any parsing). */
function mentions(value: string, rule: MappingRule): boolean {
  return [rule.from, rule.to].some((prefix) =>
    value.includes(prefix.path === "" ? prefix.domain : prefix.path),
  );
}

/** Whether a name is exactly one side of a rule: a bare registry/namespace prefix, not an image. */
function isRulePrefix(name: string, rules: readonly MappingRule[]): boolean {
  return rules.some((rule) => rule.from.text === name || rule.to.text === name);
}

function lastComponent(text: string): string {
  return text.slice(text.lastIndexOf("/") + 1);
}

function classifyPrefix(
  value: string,
  skeleton: string,
  variables: readonly string[],
  trust: Trust,
  knownHost: boolean,
  rules: readonly MappingRule[],
): Classified | undefined {
  if (variables.length > 0) return undefined;
  const trimmed = skeleton.endsWith("/") ? skeleton.slice(0, -1) : skeleton;
  const first = trimmed.includes("/") ? trimmed.slice(0, trimmed.indexOf("/")) : trimmed;
  // A bare prefix needs an explicit registry host: `kubeflowkatib/` alone is too weak a signal.
  if (!isDomainComponent(first) || first.toLowerCase() !== first) return undefined;
  // `SERVICE_IP_PREFIX = 10.0.0` is part of an address; `repo_name := github.com/ORG/repo` a Go module.
  if ((numericHost.test(first) && !ipv4Host.test(first)) || isCodeHost(first)) return undefined;
  // `reportFile="report.xml"`: a file name, not a registry host.
  if (fileExtension.test(trimmed)) return undefined;
  let text: string;
  try {
    text = parsePrefix(value).text;
  } catch {
    return undefined;
  }
  const mapped = rules.some((rule) => prefixMatches(rule.from, text));
  const hostKnown = knownHost || isKnownRegistryHost(first);
  if (trust === "free" && !hostKnown && !mapped && !rules.some((rule) => prefixMatches(rule.to, text)))
    return undefined;
  return { kind: "prefix", prefix: text, knownHost: hostKnown, mapped };
}
