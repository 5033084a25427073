import { type MappingRule, mapName, parsePrefix, prefixMatches } from "../reference/mapping.js";
import { tryParseReference } from "../reference/reference.js";
import type { Category, ImageSummary, Occurrence } from "./types.js";

/** What categorization needs besides the occurrences. */
export interface CategorizeInput {
  /** Paths of the Dockerfiles/Containerfiles in the repository. */
  readonly dockerfiles: readonly string[];
  /** Image names, or prefixes written with a trailing '/', with the category to force; the longest match wins. */
  readonly overrides?: CategoryOverrides;
  readonly rules?: readonly MappingRule[];
}

/** Forced categories: by image name (`mysql`, `docker.io/library/mysql`) or by prefix (`docker.io/kubeflowkatib/`). */
export type CategoryOverrides = ReadonlyMap<string, Category> | Readonly<Record<string, Category>>;

/** Paths whose references are examples: examples, docs, tests, notebooks, Markdown. */
const examplePath =
  /(?:^|\/)(?:examples?|samples?|docs?|documentation|tests?|e2e|testdata|test-?data|fixtures?|notebooks?|tutorials?|demos?)\/|\.(?:ipynb|md|mdx|markdown|rst)$|_test\.go$|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]*\.py$/i;

/** Whether a file counts as example material (docs, tests, examples, notebooks). */
export function isExamplePath(file: string): boolean {
  return examplePath.test(file);
}

/**
 * Sorts every image into `own` (a Dockerfile here, and a build or push of that name here; a
 * build through a variable prefix such as `${REGISTRY}/katib-controller` matches by repository
 * basename), `example` (referenced only from examples, docs, tests, notebooks) or `third-party`,
 * with the evidence, and copies the category onto each occurrence.
 */
export function categorize(
  references: readonly Occurrence[],
  input: CategorizeInput,
): { references: Occurrence[]; images: ImageSummary[] } {
  const builtNames = new Map<string, Occurrence[]>();
  const builtBasenames = new Map<string, Occurrence[]>();
  for (const occurrence of references) {
    if (occurrence.build !== true) continue;
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
  const images: ImageSummary[] = [];
  const categories = new Map<string, Category>();
  for (const [name, occurrences] of byName) {
    const { category, evidence } = decide(name, occurrences, builtNames, builtBasenames, input);
    categories.set(name, category);
    const tags = unique(occurrences.map((o) => o.reference?.tag));
    const digests = unique(occurrences.map((o) => o.reference?.digest));
    const summary: { -readonly [K in keyof ImageSummary]: ImageSummary[K] } = {
      name,
      category,
      evidence,
      count: occurrences.length,
      files: unique(occurrences.map((o) => o.file)),
      tags,
      digests,
    };
    const mapped = input.rules === undefined ? undefined : mapName(input.rules, name);
    if (mapped !== undefined) summary.mapped = mapped;
    images.push(summary);
  }
  const order: Record<Category, number> = { own: 0, example: 1, "third-party": 2 };
  images.sort((a, b) => order[a.category] - order[b.category] || a.name.localeCompare(b.name));
  const ownBasenames = new Set(images.filter((i) => i.category === "own").map((i) => lastComponent(i.name)));
  const out = references.map((occurrence) => {
    const name = nameOf(occurrence);
    let category = name === undefined ? undefined : categories.get(name);
    if (category === undefined && occurrence.kind === "partial") {
      const base = basenameOf(occurrence);
      if (base !== undefined && (ownBasenames.has(base) || builtBasenames.has(base))) category = "own";
    }
    if (category === undefined && occurrence.prefix !== undefined) {
      const prefix = occurrence.prefix;
      if (images.some((i) => i.category === "own" && i.name.startsWith(`${prefix}/`))) category = "own";
    }
    // Not `{ ...occurrence, category }`: V8's slow path for a spread with extra keys (see place in scan-text.ts).
    return category === undefined ? occurrence : Object.assign({}, occurrence, { category });
  });
  return { references: out, images };
}

function decide(
  name: string,
  occurrences: readonly Occurrence[],
  builtNames: ReadonlyMap<string, Occurrence[]>,
  builtBasenames: ReadonlyMap<string, Occurrence[]>,
  input: CategorizeInput,
): { category: Category; evidence: string[] } {
  const override = findOverride(name, input.overrides);
  if (override !== undefined)
    return { category: override[1], evidence: [`set by configuration (${override[0]})`] };
  const base = lastComponent(name);
  const builds = [...(builtNames.get(name) ?? []), ...(builtBasenames.get(base) ?? [])];
  if (builds.length > 0 && input.dockerfiles.length > 0) {
    const evidence = unique(builds.map((b) => `built by ${b.file}:${b.line} (${b.context} ${b.text})`));
    // `cmd/ui/v1beta1/Dockerfile` builds `katib-ui`: a directory equal to the name or to its last words.
    const dockerfile = input.dockerfiles.find((d) =>
      d
        .split("/")
        .slice(0, -1)
        .some((segment) => segment === base || base.endsWith(`-${segment}`)),
    );
    evidence.push(
      dockerfile !== undefined
        ? `Dockerfile ${dockerfile}`
        : `repository has Dockerfiles (${input.dockerfiles[0]})`,
    );
    return { category: "own", evidence };
  }
  const outside = occurrences.filter((o) => !isExamplePath(o.file));
  if (outside.length === 0) {
    return {
      category: "example",
      evidence: [`only referenced from examples, docs or tests (${occurrences[0]!.file})`],
    };
  }
  const first = outside[0]!;
  return {
    category: "third-party",
    evidence: [`not built here; referenced from ${first.file}:${first.line}`],
  };
}

/**
 * The override for an image: a key ending in '/' is a prefix (`docker.io/kubeflowkatib/`), any other
 * key names one image (`mysql` is `docker.io/library/mysql`). The longest matching key wins.
 */
function findOverride(
  name: string,
  overrides: CategoryOverrides | undefined,
): [string, Category] | undefined {
  if (overrides === undefined) return undefined;
  const pairs = overrides instanceof Map ? [...overrides] : Object.entries(overrides);
  let best: [string, Category, number] | undefined;
  for (const [key, category] of pairs) {
    let hit: boolean;
    let length: number;
    if (key.endsWith("/")) {
      let prefix: string;
      try {
        prefix = parsePrefix(key).text;
      } catch {
        continue;
      }
      hit = prefixMatches({ domain: "", path: "", text: prefix }, name);
      length = prefix.length;
    } else {
      const ref = tryParseReference(key);
      hit = ref?.name === name;
      length = name.length + 1;
    }
    if (hit && (best === undefined || length > best[2])) best = [key, category, length];
  }
  return best === undefined ? undefined : [best[0], best[1]];
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
