import { InvalidReferenceError } from "./errors.js";
import { anchoredDomain, anchoredRemoteName, nameTotalLengthMax } from "./grammar.js";
import {
  defaultDomain,
  formatReference,
  isDomainComponent,
  legacyDefaultDomain,
  parseReference,
  type Reference,
} from "./reference.js";

/**
 * A registry/namespace prefix such as `docker.io/kubeflowkatib` or `ghcr.io`: a domain and a path
 * (possibly empty). `text` is the normalized `domain[/path]`.
 */
export interface Prefix {
  readonly domain: string;
  readonly path: string;
  readonly text: string;
}

/** One `FROM=TO` rule: names under `from` move under `to`. */
export interface MappingRule {
  readonly from: Prefix;
  readonly to: Prefix;
}

/**
 * Parses a registry/namespace prefix. The domain rule is the reference grammar's; unlike a full
 * reference no `library/` is added, so Docker Hub's official images need an explicit
 * `docker.io/library=...` rule (GHCR has no `library/`). A trailing '/' is allowed.
 */
export function parsePrefix(input: string): Prefix {
  const trimmed = input.endsWith("/") ? input.slice(0, -1) : input;
  if (trimmed === "") throw new InvalidReferenceError(input, "empty prefix");
  if (/[:@]/.test(trimmed.slice(trimmed.lastIndexOf("/") + 1)) && trimmed.includes("/")) {
    throw new InvalidReferenceError(input, "a prefix has no tag or digest");
  }
  const slash = trimmed.indexOf("/");
  const first = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (slash === -1 && !/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() !== first) {
    // A lone `KubeflowKatib` is a mistyped Docker Hub namespace, not a registry host: a bare
    // registry prefix must look like one (a '.' or ':', or localhost).
    throw new InvalidReferenceError(input, "repository path must be lowercase");
  }
  let domain: string;
  let path: string;
  if (isDomainComponent(first)) {
    domain = first;
    path = slash === -1 ? "" : trimmed.slice(slash + 1);
    if (slash !== -1 && path === "") throw new InvalidReferenceError(input, "empty repository path");
  } else {
    domain = defaultDomain;
    path = trimmed;
  }
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (!anchoredDomain.test(domain))
    throw new InvalidReferenceError(input, `invalid registry host "${domain}"`);
  if (path !== "" && !anchoredRemoteName.test(path)) {
    throw new InvalidReferenceError(
      input,
      path.toLowerCase() !== path ? "repository path must be lowercase" : `invalid repository path "${path}"`,
    );
  }
  if (path.length > nameTotalLengthMax) {
    throw new InvalidReferenceError(
      input,
      `repository path must not be more than ${nameTotalLengthMax} characters`,
    );
  }
  return { domain, path, text: path === "" ? domain : `${domain}/${path}` };
}

/** Parses `FROM=TO`. */
export function parseMappingRule(input: string): MappingRule {
  const eq = input.indexOf("=");
  if (eq <= 0 || eq === input.length - 1) {
    throw new InvalidReferenceError(
      input,
      "a mapping is FROM=TO, such as docker.io/kubeflowkatib=ghcr.io/kubeflow/katib",
    );
  }
  return { from: parsePrefix(input.slice(0, eq)), to: parsePrefix(input.slice(eq + 1)) };
}

/** Whether `name` (normalized `domain/path`) is the prefix itself or lies under it, at a path-segment boundary. */
export function prefixMatches(prefix: Prefix, name: string): boolean {
  return name === prefix.text || name.startsWith(`${prefix.text}/`);
}

/** The rule with the longest `from` that matches the name, or undefined. The most specific rule wins. */
export function findRule(rules: readonly MappingRule[], name: string): MappingRule | undefined {
  let best: MappingRule | undefined;
  for (const rule of rules) {
    if (
      prefixMatches(rule.from, name) &&
      (best === undefined || rule.from.text.length > best.from.text.length)
    ) {
      best = rule;
    }
  }
  return best;
}

/** Maps a normalized name (or a bare prefix) through the rules; undefined when no rule covers it. */
export function mapName(rules: readonly MappingRule[], name: string): string | undefined {
  const rule = findRule(rules, name);
  if (rule === undefined) return undefined;
  const rest = name.slice(rule.from.text.length);
  return rule.to.text + rest;
}

/**
 * Maps a reference through the rules, keeping its tag and digest; undefined when no rule covers it.
 * The result is normalized again, as ParseNormalizedNamed would read it (a one-component path under
 * `docker.io` gets `library/`), and its path must fit the length limit.
 */
export function mapReference(rules: readonly MappingRule[], ref: Reference): Reference | undefined {
  const mapped = mapName(rules, ref.name);
  if (mapped === undefined) return undefined;
  if (!mapped.includes("/"))
    throw new InvalidReferenceError(mapped, "a mapped image needs a repository path");
  const text = formatReference({ ...ref, name: mapped });
  try {
    return parseReference(text);
  } catch (error) {
    if (error instanceof InvalidReferenceError) {
      throw new InvalidReferenceError(text, `mapped reference: ${error.reason}`);
    }
    throw error;
  }
}

/** The rules turned around (`TO=FROM`), to undo a migration. */
export function reverseRules(rules: readonly MappingRule[]): MappingRule[] {
  return rules.map((rule) => ({ from: rule.to, to: rule.from }));
}

/** `FROM=TO` as text, for reports. */
export function formatMappingRule(rule: MappingRule): string {
  return `${rule.from.text}=${rule.to.text}`;
}
