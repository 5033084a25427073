import { prefixMatches } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { Category, ImageSummary } from "../scan/types.js";

/** What a draft crossdock.yaml is written from. */
export interface DraftInput {
  /** The suggested target prefix (`ghcr.io/owner/repo`), when the git remote names a GitHub repository. */
  readonly target?: string;
  /** The images a scan found; undefined when no scan was run. */
  readonly images?: readonly ImageSummary[];
}

/** One suggested mapping: a Docker Hub namespace of this project's own or example images. */
export interface DraftMapping {
  readonly from: string;
  readonly to: string;
  /** Repositories under `from`, sorted, with their category and reference count. */
  readonly repositories: ReadonlyArray<{
    readonly name: string;
    readonly category: Category;
    readonly count: number;
  }>;
}

/** Shown (lower case, so the draft still parses) when the remote names no GitHub repository. */
export const placeholderTarget = "ghcr.io/owner/repo";

/**
 * The mappings a draft suggests: one per Docker Hub namespace holding `own` or `example` images
 * (`docker.io/kubeflowkatib` to the target; with several namespaces, each to `target/<namespace>`
 * so their repositories cannot collide). Official `library/` images and images already under the
 * target are left out.
 */
export function planDraftMappings(images: readonly ImageSummary[], target: string): DraftMapping[] {
  const targetPrefix = { domain: "", path: "", text: target };
  const byNamespace = new Map<string, Array<DraftMapping["repositories"][number]>>();
  for (const image of images) {
    if (image.category === "third-party" || prefixMatches(targetPrefix, image.name)) continue;
    const ref = parseReference(image.name);
    const slash = ref.path.indexOf("/");
    if (ref.domain !== "docker.io" || slash < 0 || ref.path.startsWith("library/")) continue;
    const namespace = ref.path.slice(0, slash);
    const list = byNamespace.get(namespace) ?? [];
    list.push({ name: ref.path.slice(slash + 1), category: image.category, count: image.count });
    byNamespace.set(namespace, list);
  }
  const namespaces = [...byNamespace.keys()].sort();
  return namespaces.map((namespace) => ({
    from: `docker.io/${namespace}`,
    to: namespaces.length === 1 ? target : `${target}/${namespace}`,
    repositories: [...byNamespace.get(namespace)!].sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/**
 * A commented draft crossdock.yaml: the images found by category, a mapping per Docker Hub
 * namespace of the project's own and example images, third-party images left in place (with the
 * mirror settings commented out), and the other sections as commented examples. It parses with
 * parseConfig as written; without a GitHub target the mappings are commented out, so nothing moves
 * to a placeholder by accident.
 */
export function renderDraftConfig(input: DraftInput): string {
  const target = input.target ?? placeholderTarget;
  const images = input.images ?? [];
  const mappings = planDraftMappings(images, target);
  const out: string[] = [
    "# crossdock.yaml: how crossdock moves this repository's images (a draft written by `crossdock init`).",
    "# Review it, then try `crossdock migrate --dry-run`.",
    "version: 1",
    "",
  ];
  out.push(...describeImages(input.images, target));
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
          `${prefix}      - ${repository.name}  # ${repository.category}, ${plural(repository.count, "reference")}`,
        );
      }
    }
    out.push(`#     tags: { include: "v.*", exclude: ".*-rc.*" }`);
  }
  out.push(
    "",
    "# Third-party images: leave them where they are, or mirror them under a prefix of yours",
    "# (docker.io/library/mysql would become <mirror>/mysql; GHCR has no library/ namespace).",
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
    "# Categories to force (own, example, third-party), by image name; a key ending in / is a prefix.",
    "# categories:",
    `#   ${exampleCategoryKey(mappings)}: example`,
    "",
  );
  return out.join("\n");
}

function describeImages(images: readonly ImageSummary[] | undefined, target: string): string[] {
  if (images === undefined) return ["# No scan was run: add the mappings by hand.", ""];
  if (images.length === 0) return ["# The scan found no image references.", ""];
  const out = ["# Images found by the scan, by category (how many references):"];
  const titles: Record<Category, string> = {
    own: "own (built here)",
    example: "example (only in examples, docs, tests)",
    "third-party": "third-party",
  };
  for (const category of ["own", "example", "third-party"] as const) {
    const found = images.filter((image) => image.category === category);
    if (found.length === 0) continue;
    out.push(`#   ${titles[category]}:`);
    for (const image of [...found].sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(
        `#     ${image.name} (${image.count})${outsideDockerHub(image, target) ? "  <- not on Docker Hub: add a mapping to move it" : ""}`,
      );
    }
  }
  out.push("");
  return out;
}

function outsideDockerHub(image: ImageSummary, target: string): boolean {
  return (
    image.category !== "third-party" &&
    !image.name.startsWith("docker.io/") &&
    !prefixMatches({ domain: "", path: "", text: target }, image.name)
  );
}

function exampleMapping(target: string): DraftMapping {
  return { from: "docker.io/your-namespace", to: target, repositories: [] };
}

function exampleCategoryKey(mappings: readonly DraftMapping[]): string {
  return `${mappings[0]?.from ?? "docker.io/your-namespace"}/docs-image`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
