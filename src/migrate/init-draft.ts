import { parsePrefix, prefixMatches } from "../reference/mapping.js";
import { usages } from "../scan/categorize.js";
import type { ImageSummary, Owner } from "../scan/types.js";

/** What a draft crossdock.yaml is written from. */
export interface DraftInput {
  /** The target prefix: `--to`, or `ghcr.io/owner/repo` when the git remote names a GitHub repository. */
  readonly target?: string;
  /** `--from`: the one source prefix to map (any registry); absent, one mapping per namespace of own images. */
  readonly from?: string;
  /** The images a scan found; undefined when no scan was run. */
  readonly images?: readonly ImageSummary[];
}

/** One suggested mapping: a namespace of this project's own images, on any registry. */
export interface DraftMapping {
  readonly from: string;
  readonly to: string;
  /** Repositories under `from`, sorted, with their owner, usage and reference count. */
  readonly repositories: ReadonlyArray<{
    readonly name: string;
    readonly owner: Owner;
    readonly usage: ImageSummary["usage"];
    readonly count: number;
  }>;
}

/** Shown (lower case, so the draft still parses) when the remote names no GitHub repository. */
export const placeholderTarget = "ghcr.io/owner/repo";

/**
 * The mappings a draft suggests. With `from`, one mapping to the target, listing every image under
 * it (the user named it the project's namespace). Without, one per namespace holding `own` images,
 * on any registry (`docker.io/kubeflowkatib` or `quay.io/myorg` to the target; with several
 * namespaces, each to `target/<namespace path>` so their repositories cannot collide). Docker Hub's
 * official `library/` images and images already under the target are left out.
 */
export function planDraftMappings(
  images: readonly ImageSummary[],
  target: string,
  from?: string,
): DraftMapping[] {
  const targetPrefix = { domain: "", path: "", text: target };
  const fromPrefix = from === undefined ? undefined : parsePrefix(from);
  const byNamespace = new Map<string, Array<DraftMapping["repositories"][number]>>();
  for (const image of images) {
    if (prefixMatches(targetPrefix, image.name)) continue;
    const slash = image.name.lastIndexOf("/");
    const namespace = fromPrefix?.text ?? image.name.slice(0, slash);
    if (fromPrefix ? !prefixMatches(fromPrefix, image.name) : image.owner !== "own") continue;
    if (namespace === "docker.io/library" || !namespace.includes("/") || namespace === image.name) continue;
    const list = byNamespace.get(namespace) ?? [];
    list.push({
      name: image.name.slice(namespace.length + 1),
      owner: image.owner,
      usage: image.usage,
      count: image.count,
    });
    byNamespace.set(namespace, list);
  }
  const namespaces = [...byNamespace.keys()].sort();
  if (fromPrefix !== undefined && namespaces.length === 0) namespaces.push(fromPrefix.text);
  return namespaces.map((namespace) => ({
    from: namespace,
    to: namespaces.length === 1 ? target : `${target}/${namespace.slice(namespace.indexOf("/") + 1)}`,
    repositories: [...(byNamespace.get(namespace) ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/**
 * A commented draft crossdock.yaml: the images found by owner and usage, a mapping per namespace
 * of the project's own images (or the one `from` prefix), third-party images left in place (with the
 * mirror settings commented out), and the other sections as commented examples. It parses with
 * parseConfig as written; without a GitHub target the mappings are commented out, so nothing moves
 * to a placeholder by accident.
 */
export function renderDraftConfig(input: DraftInput): string {
  const target = input.target ?? placeholderTarget;
  const images = input.images ?? [];
  const mappings = planDraftMappings(images, target, input.from);
  const out: string[] = [
    "# crossdock.yaml: how crossdock moves this repository's images (a draft written by `crossdock init`).",
    "# Review it, then try `crossdock migrate --dry-run`.",
    "version: 1",
    "",
  ];
  out.push(...describeImages(input.images));
  out.push(
    "# Where images move: every name under `from` moves under `to`, keeping the rest of its path.",
    "# `repositories` lists what sync copies (Docker Hub cannot list a namespace's repositories).",
    "# `tags` chooses what to copy: include/exclude (regular expressions matching the whole tag),",
    '# semver (a range such as ">=0.15.0"), latest (the newest N versions). Without it, every tag.',
  );
  if (input.target === undefined) {
    out.push("# No GitHub remote named `origin` was found: set the target (lower case) and uncomment.");
  }
  const active = input.target !== undefined && mappings.length > 0;
  out.push(active ? "mappings:" : "mappings: []");
  const prefix = active ? "" : "# ";
  const shown = mappings.length > 0 ? mappings : [exampleMapping(target)];
  for (const mapping of shown) {
    out.push(`${prefix}  - from: ${mapping.from}`, `${prefix}    to: ${mapping.to}`);
    if (mapping.repositories.length > 0) {
      out.push(`${prefix}    repositories:`);
      for (const repository of mapping.repositories) {
        out.push(
          `${prefix}      - ${repository.name}  # ${repository.owner}, ${repository.usage}, ${plural(repository.count, "reference")}`,
        );
      }
    }
    out.push(`#     tags: { include: "v.*", exclude: ".*-rc.*" }`);
  }
  out.push(
    "",
    "# Third-party images (wherever they are used: examples too): leave them where they are, or",
    "# mirror them under a prefix of yours (docker.io/library/mysql would become <mirror>/mysql,",
    "# quay.io/org/app <mirror>/quay.io/org/app; GHCR has no library/ namespace).",
    "thirdParty:",
    "  action: leave",
    `  # action: mirror`,
    `  # mirror: ${target}/mirror`,
    "",
    "# Registries: hosts served over plain HTTP, and which environment variables hold credentials",
    "# (otherwise the docker config and podman auth files are used; ghcr.io also reads GITHUB_ACTOR",
    "# and GITHUB_TOKEN in GitHub Actions).",
    "# registries:",
    "#   ghcr.io: { usernameEnv: GITHUB_ACTOR, passwordEnv: GITHUB_TOKEN }",
    "#   registry.local:5000: { insecure: true }",
    "",
    "# Files to scan and rewrite (gitignore-style patterns, on top of .gitignore).",
    "# paths:",
    '#   include: ["**"]',
    '#   exclude: ["vendor/**", "third_party/**"]',
    "",
    "# Owner (own, third-party) or usage (core, example, test, docs) to force, by image name;",
    "# a key ending in / is a prefix; { owner: own, usage: example } sets both.",
    "# categories:",
    `#   ${exampleCategoryKey(mappings)}: own`,
    "",
  );
  return out.join("\n");
}

function describeImages(images: readonly ImageSummary[] | undefined): string[] {
  if (images === undefined) return ["# No scan was run: add the mappings by hand.", ""];
  if (images.length === 0) return ["# The scan found no image references.", ""];
  const out = ["# Images found by the scan, by owner and usage (how many references):"];
  for (const owner of ["own", "third-party"] as const) {
    for (const usage of usages) {
      const found = images.filter((image) => image.owner === owner && image.usage === usage);
      if (found.length === 0) continue;
      out.push(`#   ${owner}, ${usage}:`);
      for (const image of [...found].sort((a, b) => a.name.localeCompare(b.name)))
        out.push(`#     ${image.name} (${image.count})`);
    }
  }
  out.push("");
  return out;
}

function exampleMapping(target: string): DraftMapping {
  return { from: "docker.io/your-namespace", to: target, repositories: [] };
}

function exampleCategoryKey(mappings: readonly DraftMapping[]): string {
  return `${mappings[0]?.from ?? "docker.io/your-namespace"}/`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
