import { selectTags } from "../copy/tag-filter.js";
import { type MappingRule, mapName, mapReference } from "../reference/mapping.js";
import { parseReference, type Reference, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { RegistryError } from "../registry/errors.js";
import { scanSettingsOf } from "../scan/crossdock-files.js";
import type { CrossdockConfig } from "./config/types.js";
import type { Lockfile } from "./lock.js";
import { scanProject } from "./scan-project.js";

/** One way the target has drifted from the source, or the repository from the switch. */
export interface DriftItem {
  readonly kind: "missing-tag" | "digest-differs" | "source-reference" | "not-public";
  /** The tag, image or `file:line` concerned. */
  readonly subject: string;
  /** What is wrong, in words, with what to do about it. */
  readonly detail: string;
}

/** Options of findDrift. */
export interface DriftOptions {
  readonly dir: string;
  readonly config?: CrossdockConfig;
  readonly lock?: Lockfile;
  /** A client with credentials for both sides. */
  readonly client: RegistryClient;
  /** A client without credentials: whether each migrated image can be pulled anonymously. */
  readonly anonymousClient: RegistryClient;
  readonly signal?: AbortSignal;
}

/**
 * What drifted since the switch, with tag lists and HEAD requests only (never a manifest GET, so a
 * scheduled run costs the source no pulls): source tags the target lacks (the config's mappings
 * that name repositories, through their tag policy), tags whose digests differ (those and every
 * image the lock records), migrated images an anonymous HEAD cannot read, and references in the
 * repository that still name a mapped source (files added after the switch).
 */
export async function findDrift(options: DriftOptions): Promise<DriftItem[]> {
  const { client, signal } = options;
  const rules = options.config?.rules ?? [];
  // Each source tag to hold the target to, by `name:tag`; no target when the target lacks the tag.
  const pairs = new Map<string, { source: Reference; target?: Reference }>();
  for (const mapping of options.config?.mappings ?? []) {
    for (const name of mapping.repositories ?? []) {
      const source = parseReference(`${mapping.rule.from.text}/${name}`);
      const target = parseReference(`${mapping.rule.to.text}/${name}`);
      const [sourceTags, targetTags] = await Promise.all([
        listTags(client, source, signal),
        listTags(client, target, signal),
      ]);
      for (const tag of selectTags(sourceTags, mapping.policy)) {
        const pair = { source: withTag(source, tag), target: withTag(target, tag) };
        pairs.set(`${source.name}:${tag}`, targetTags.includes(tag) ? pair : { source: pair.source });
      }
    }
  }
  for (const image of options.lock?.images ?? [])
    pairs.set(image.source, { source: parseReference(image.source), target: parseReference(image.target) });
  const drift: DriftItem[] = [];
  for (const [key, { source, target }] of pairs) {
    const lacks = {
      kind: "missing-tag",
      subject: key,
      detail: "the target lacks it: run crossdock sync",
    } as const;
    if (!target) {
      drift.push(lacks);
      continue;
    }
    const [s, t] = await Promise.all([
      client.headManifest(source, signal),
      client.headManifest(target, signal),
    ]);
    if (s && !t) drift.push(lacks);
    else if (s && t && s.digest !== t.digest)
      drift.push({
        kind: "digest-differs",
        subject: key,
        detail: `source ${s.digest}, target ${t.digest}: run crossdock sync`,
      });
  }
  for (const image of options.lock?.images ?? []) {
    const readable = await options.anonymousClient
      .headManifest(parseReference(image.target), signal)
      .catch(() => undefined);
    if (!readable)
      drift.push({
        kind: "not-public",
        subject: image.target,
        detail: "an anonymous pull fails: make the package public",
      });
  }
  drift.push(...(await findSourceReferences(options.dir, options.config, rules, signal)));
  return drift;
}

/** References in the repository that a rule still maps: they name the source after the switch. */
async function findSourceReferences(
  dir: string,
  config: CrossdockConfig | undefined,
  rules: readonly MappingRule[],
  signal: AbortSignal | undefined,
): Promise<DriftItem[]> {
  // Mirrored third-party images count too: a file naming docker.io/library/mysql again has drifted.
  const project = await scanProject(dir, {
    rules,
    scan: scanSettingsOf(config),
    ...(config ? { thirdParty: config.thirdParty } : {}),
    ...(signal ? { signal } : {}),
  });
  return project.scan.references.flatMap((occurrence): DriftItem[] => {
    const mapped =
      occurrence.kind === "complete" && occurrence.reference
        ? mapReference(project.rules, occurrence.reference)
        : occurrence.kind === "prefix" && occurrence.prefix
          ? mapName(project.rules, occurrence.prefix)
          : undefined;
    if (!mapped) return [];
    return [
      {
        kind: "source-reference",
        subject: `${occurrence.file}:${occurrence.line}`,
        detail: `${occurrence.text} still names the source: run crossdock migrate (or rewrite --write)`,
      },
    ];
  });
}

/** A repository's tags; none when it does not exist yet (a target not copied to). */
async function listTags(
  client: RegistryClient,
  repo: Reference,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  try {
    return await client.listTags(repo, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return [];
    throw error;
  }
}
