import { type MappingRule, mapName, parsePrefix, prefixMatches, reverseRules } from "../reference/mapping.js";
import { tryParseReference } from "../reference/reference.js";
import type { ImageSummary, Occurrence, Owner, Usage } from "./types.js";

/** What categorization needs besides the occurrences. */
export interface CategorizeInput {
  /** Paths of the Dockerfiles/Containerfiles in the repository. */
  readonly dockerfiles: readonly string[];
  /** Image names, or prefixes written with a trailing '/', with the owner or usage to force; the longest match wins. */
  readonly overrides?: CategoryOverrides;
  readonly rules?: readonly MappingRule[];
}

/** What configuration forces for an image: its owner, its usage, or both. */
export interface CategoryOverride {
  readonly owner?: Owner;
  readonly usage?: Usage;
}

/** Forced categories: by image name (`mysql`, `docker.io/library/mysql`) or by prefix (`docker.io/kubeflowkatib/`). */
export type CategoryOverrides =
  | ReadonlyMap<string, CategoryOverride>
  | Readonly<Record<string, CategoryOverride>>;

/** Paths by usage, tried in this order: the first that matches a file decides. */
const usagePaths: ReadonlyArray<readonly [Exclude<Usage, "core">, RegExp]> = [
  ["example", /(?:^|\/)(?:examples?|samples?|notebooks?|tutorials?|demos?)\/|\.ipynb$/i],
  [
    "test",
    /(?:^|\/)(?:tests?|e2e|testdata|test-?data|fixtures?)\/|_test\.go$|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]*\.py$/i,
  ],
  ["docs", /(?:^|\/)(?:docs?|documentation)\/|\.(?:md|mdx|markdown|rst)$/i],
];

/** Where a file is used: `example`, `test` or `docs` by its path, `core` otherwise. */
export function usageOfPath(file: string): Usage {
  return usagePaths.find(([, pattern]) => pattern.test(file))?.[0] ?? "core";
}

/** The order of usages in reports and the precedence across an image's files: core first. */
export const usages: readonly Usage[] = ["core", "example", "test", "docs"];

/**
 * Sorts every image on two axes, with the evidence, and copies both onto each occurrence. Owner:
 * `own` when configuration says so, when a Dockerfile is here and a build or push names it (a
 * build through a variable prefix such as `${REGISTRY}/katib-controller` matches by repository
 * basename), or when it sits in the namespace of such an image (`docker.io/myorg/base` beside a
 * built `docker.io/myorg/app`); `third-party` otherwise. Usage: `core` when any file outside
 * examples, tests and docs names it, else the first of example, test, docs that does. Configuration
 * keys written with source names keep applying after the switch, through the rules' reverse.
 */
export function categorize(
  references: readonly Occurrence[],
  input: CategorizeInput,
): { references: Occurrence[]; images: ImageSummary[] } {
  const builtNames = new Map<string, Occurrence[]>();
  const builtBasenames = new Map<string, Occurrence[]>();
  for (const occurrence of references) {
    if (occurrence.build !== true && occurrence.role !== "push") continue;
    const name = nameOf(occurrence);
    if (name !== undefined) push(builtNames, name, occurrence);
    const base = name === undefined ? basenameOf(occurrence) : undefined;
    if (base !== undefined) push(builtBasenames, base, occurrence);
  }
  const byName = new Map<string, Occurrence[]>();
  for (const occurrence of references) {
    const name = nameOf(occurrence);
    // Without evidence it is no image (see settleEvidence): listed, never counted.
    if (name !== undefined && occurrence.noEvidence !== true) push(byName, name, occurrence);
  }
  const built = new Map<string, string[]>();
  for (const name of byName.keys()) {
    const evidence = buildEvidence(name, builtNames, builtBasenames, input.dockerfiles);
    if (evidence !== undefined) built.set(name, evidence);
  }
  const namespaces = new Map<string, string>();
  for (const name of built.keys()) {
    const namespace = namespaceOf(name);
    if (namespace !== undefined && !namespaces.has(namespace)) namespaces.set(namespace, name);
  }
  const aliases = input.rules === undefined ? [] : reverseRules(input.rules);
  const images: ImageSummary[] = [];
  const decided = new Map<string, { owner: Owner; usage: Usage }>();
  for (const [name, occurrences] of byName) {
    const before = mapName(aliases, name);
    const keys = before === undefined || before === name ? [name] : [name, before];
    const forced = findOverride(keys, input.overrides);
    const owner = decideOwner(name, forced.owner, built, namespaces);
    const usage = decideUsage(occurrences, forced.usage);
    decided.set(name, { owner: owner.owner, usage: usage.usage });
    const tags = unique(occurrences.map((o) => o.reference?.tag));
    const digests = unique(occurrences.map((o) => o.reference?.digest));
    const summary: { -readonly [K in keyof ImageSummary]: ImageSummary[K] } = {
      name,
      owner: owner.owner,
      usage: usage.usage,
      evidence: [...owner.evidence, ...usage.evidence],
      count: occurrences.length,
      files: unique(occurrences.map((o) => o.file)),
      tags,
      digests,
    };
    const mapped = input.rules === undefined ? undefined : mapName(input.rules, name);
    if (mapped !== undefined) summary.mapped = mapped;
    images.push(summary);
  }
  const ownerOrder: Record<Owner, number> = { own: 0, "third-party": 1 };
  images.sort(
    (a, b) =>
      ownerOrder[a.owner] - ownerOrder[b.owner] ||
      usages.indexOf(a.usage) - usages.indexOf(b.usage) ||
      a.name.localeCompare(b.name),
  );
  const ownBasenames = new Set(images.filter((i) => i.owner === "own").map((i) => lastComponent(i.name)));
  const out = references.map((occurrence) => {
    const name = nameOf(occurrence);
    let found = name === undefined ? undefined : decided.get(name);
    if (found === undefined && occurrence.kind === "partial") {
      const base = basenameOf(occurrence);
      if (base !== undefined && (ownBasenames.has(base) || builtBasenames.has(base)))
        found = { owner: "own", usage: usageOfPath(occurrence.file) };
    }
    if (found === undefined && occurrence.prefix !== undefined) {
      const prefix = occurrence.prefix;
      if (images.some((i) => i.owner === "own" && i.name.startsWith(`${prefix}/`)))
        found = { owner: "own", usage: usageOfPath(occurrence.file) };
    }
    // Not `{ ...occurrence, owner, usage }`: V8's slow path for a spread with extra keys (see place in scan-text.ts).
    return found === undefined ? occurrence : Object.assign({}, occurrence, found);
  });
  return { references: out, images };
}

/** The evidence that this project builds an image: a build or push of its name and a Dockerfile here. */
function buildEvidence(
  name: string,
  builtNames: ReadonlyMap<string, Occurrence[]>,
  builtBasenames: ReadonlyMap<string, Occurrence[]>,
  dockerfiles: readonly string[],
): string[] | undefined {
  const base = lastComponent(name);
  const builds = [...(builtNames.get(name) ?? []), ...(builtBasenames.get(base) ?? [])];
  if (builds.length === 0 || dockerfiles.length === 0) return undefined;
  const evidence = unique(builds.map((b) => `built by ${b.file}:${b.line} (${b.context} ${b.text})`));
  // `cmd/ui/v1beta1/Dockerfile` builds `katib-ui`: a directory equal to the name or to its last words.
  const dockerfile = dockerfiles.find((d) =>
    d
      .split("/")
      .slice(0, -1)
      .some((segment) => segment === base || base.endsWith(`-${segment}`)),
  );
  evidence.push(
    dockerfile !== undefined ? `Dockerfile ${dockerfile}` : `repository has Dockerfiles (${dockerfiles[0]})`,
  );
  return evidence;
}

function decideOwner(
  name: string,
  forced: readonly [string, Owner] | undefined,
  built: ReadonlyMap<string, string[]>,
  namespaces: ReadonlyMap<string, string>,
): { owner: Owner; evidence: string[] } {
  if (forced !== undefined) return { owner: forced[1], evidence: [`set by configuration (${forced[0]})`] };
  const evidence = built.get(name);
  if (evidence !== undefined) return { owner: "own", evidence };
  const namespace = namespaceOf(name);
  const sibling = namespace === undefined ? undefined : namespaces.get(namespace);
  if (sibling !== undefined)
    return { owner: "own", evidence: [`in the project's namespace ${namespace}/ (built here: ${sibling})`] };
  return { owner: "third-party", evidence: ["not built or pushed here"] };
}

function decideUsage(
  occurrences: readonly Occurrence[],
  forced: readonly [string, Usage] | undefined,
): { usage: Usage; evidence: string[] } {
  if (forced !== undefined)
    return { usage: forced[1], evidence: [`usage set by configuration (${forced[0]})`] };
  const byUsage = new Map<Usage, Occurrence>();
  for (const occurrence of occurrences) {
    const usage = usageOfPath(occurrence.file);
    if (!byUsage.has(usage)) byUsage.set(usage, occurrence);
  }
  const usage = usages.find((u) => byUsage.has(u)) ?? "core";
  const first = byUsage.get(usage) ?? occurrences[0]!;
  const where = usage === "core" ? "used by" : `only in ${usage === "docs" ? "docs" : `${usage}s`}, first`;
  return { usage, evidence: [`${where} ${first.file}:${first.line}`] };
}

/**
 * The namespace an image shares with its siblings: its name less the last component
 * (`docker.io/myorg` of `docker.io/myorg/app`). None for Docker Hub's official images, whose
 * `library/` belongs to nobody here, nor for a name with a single path component.
 */
function namespaceOf(name: string): string | undefined {
  const slash = name.lastIndexOf("/");
  const namespace = name.slice(0, slash);
  if (namespace === "docker.io/library" || !namespace.includes("/")) return undefined;
  return namespace;
}

/**
 * The owner and usage configuration forces on an image known by any of `names` (its own, and the
 * source name it had before the switch): a key ending in '/' is a prefix (`docker.io/kubeflowkatib/`),
 * any other key names one image (`mysql` is `docker.io/library/mysql`). On each axis, the longest
 * matching key that sets it wins.
 */
function findOverride(
  names: readonly string[],
  overrides: CategoryOverrides | undefined,
): { owner?: [string, Owner]; usage?: [string, Usage] } {
  if (overrides === undefined) return {};
  const pairs = overrides instanceof Map ? [...overrides] : Object.entries(overrides);
  let owner: [string, Owner, number] | undefined;
  let usage: [string, Usage, number] | undefined;
  for (const [key, forced] of pairs) {
    const length = matchLength(key, names);
    if (length === undefined) continue;
    if (forced.owner !== undefined && (owner === undefined || length > owner[2]))
      owner = [key, forced.owner, length];
    if (forced.usage !== undefined && (usage === undefined || length > usage[2]))
      usage = [key, forced.usage, length];
  }
  return {
    ...(owner ? { owner: [owner[0], owner[1]] } : {}),
    ...(usage ? { usage: [usage[0], usage[1]] } : {}),
  };
}

/** How specific a configuration key is for one of the names (longer wins), or undefined when it covers none. */
function matchLength(key: string, names: readonly string[]): number | undefined {
  if (key.endsWith("/")) {
    let prefix: string;
    try {
      prefix = parsePrefix(key).text;
    } catch {
      return undefined;
    }
    const hit = names.some((name) => prefixMatches({ domain: "", path: "", text: prefix }, name));
    return hit ? prefix.length : undefined;
  }
  const name = tryParseReference(key)?.name;
  return name !== undefined && names.includes(name) ? name.length + 1 : undefined;
}

/** The normalized image name an occurrence stands for (complete, or partial resolved by ARG defaults). */
function nameOf(occurrence: Occurrence): string | undefined {
  return occurrence.reference?.name;
}

/** The literal last path component of a partial reference (`katib-controller` in `${REGISTRY}/katib-controller:${TAG}`). */
function basenameOf(occurrence: Occurrence): string | undefined {
  if (occurrence.reference !== undefined) return lastComponent(occurrence.reference.name);
  if (occurrence.kind !== "partial") return undefined;
  const withoutDigest = occurrence.value.replace(/@.*$/, "");
  const slash = withoutDigest.lastIndexOf("/");
  const last = withoutDigest.slice(slash + 1).replace(/:[^:]*$/, "");
  return /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(last) ? last : undefined;
}

function lastComponent(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The distinct values, sorted. Occurrences come in file order, so files are often sorted already. */
function unique(values: ReadonlyArray<string | undefined>): string[] {
  const out: string[] = [];
  let sorted = true;
  for (const v of values) {
    if (v === undefined) continue;
    const last = out[out.length - 1];
    if (v === last) continue;
    if (last !== undefined && v < last) sorted = false;
    out.push(v);
  }
  return sorted ? out : [...new Set(out)].sort();
}
