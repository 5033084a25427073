import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import { UsageError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";
import { type MappingRule, parseMappingRule } from "../reference/mapping.js";
import { parseReference } from "../reference/reference.js";
import type { JournalEntry } from "../rewrite/types.js";
import type { Owner, Usage } from "../scan/types.js";

/** The lock's file name, beside crossdock.yaml at the repository root. */
export const lockFileName = "crossdock.lock";

/** One migrated image: where it came from, where it went, and what it was. */
export interface LockImage {
  /** Canonical source reference with its tag (`docker.io/kubeflowkatib/katib-ui:v0.18.0`). */
  readonly source: string;
  /** Canonical target reference with the same tag. */
  readonly target: string;
  readonly digest: string;
  readonly mediaType: string;
  /**
   * `os/arch[/variant]` of each child of an index, or the one platform of a single-platform image
   * (from its config); empty only when the config names none or could not be read.
   */
  readonly platforms: readonly string[];
  /**
   * Copied with `--format oci`: the source's digest. The target holds the image converted to OCI
   * media types, under `digest`, which differs from the source's by design.
   */
  readonly convertedFrom?: string;
  /** Who owns the image (the scan's owner): built or published here, or someone else's. */
  readonly owner: Owner;
  /** Where the repository uses it (the scan's usage); absent in locks written before usage existed. */
  readonly usage?: Usage;
}

/**
 * crossdock.lock: what a migration copied and what its rewrite replaced, so later `verify` and
 * rollback runs know the digests and can restore the original text exactly. Deterministic YAML:
 * sorted, no timestamps, so it diffs cleanly in review.
 */
export interface Lockfile {
  readonly version: 1;
  readonly images: readonly LockImage[];
  readonly rewrites: readonly JournalEntry[];
  /** Each file of `rewrites` as crossdock left it (sha256 of its bytes): rollback refuses a file changed since. */
  readonly written?: readonly WrittenFile[];
  /** Journal entries a rollback restored, so the record says what was undone. */
  readonly rolledBack?: readonly JournalEntry[];
}

/** A file as crossdock wrote it. */
export interface WrittenFile {
  /** Path relative to the repository, as in the journal. */
  readonly file: string;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** Serializes a lock deterministically. */
export function formatLock(lock: Lockfile): string {
  const images = [...lock.images].sort(
    (a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target),
  );
  const rewrites = [...lock.rewrites].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ordinal - b.ordinal,
  );
  const body = stringify(
    {
      version: 1,
      images: images.map((i) => ({ ...i, platforms: [...i.platforms] })),
      rewrites: rewrites.map((r) => ({ ...r })),
      ...(lock.written && lock.written.length > 0
        ? { written: [...lock.written].sort((a, b) => a.file.localeCompare(b.file)).map((w) => ({ ...w })) }
        : {}),
      ...(lock.rolledBack && lock.rolledBack.length > 0
        ? { rolledBack: lock.rolledBack.map((r) => ({ ...r })) }
        : {}),
    },
    { lineWidth: 0 },
  );
  return `# crossdock.lock: written by crossdock migrate; read by crossdock verify. Do not edit.\n${body}`;
}

/** Parses a lock; a malformed one is a UsageError naming the file. */
export function parseLock(text: string, file: string): Lockfile {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML`, { cause: error });
  }
  const lock = data as Partial<Lockfile> | null;
  if (lock?.version !== 1 || !Array.isArray(lock.images)) {
    throw new UsageError(`${file}: not a crossdock.lock (version 1 with an images list)`);
  }
  const images = lock.images.map((image: LockImage & { category?: string }, i) => {
    for (const key of ["source", "target", "digest", "mediaType"] as const) {
      if (typeof image?.[key] !== "string") throw new UsageError(`${file}: images[${i}].${key} is missing`);
    }
    return readOwner(image, `${file}: images[${i}]`);
  });
  return {
    version: 1,
    images,
    rewrites: Array.isArray(lock.rewrites) ? lock.rewrites : [],
    ...(Array.isArray(lock.written) ? { written: lock.written } : {}),
    ...(Array.isArray(lock.rolledBack) ? { rolledBack: lock.rolledBack } : {}),
  };
}

/**
 * An image entry's owner and usage. Locks written before the two axes carry `category: own`,
 * `third-party` or `example`; an example was never built here, so it reads as third-party used in examples.
 */
function readOwner(image: LockImage & { category?: string }, where: string): LockImage {
  if (image.owner === "own" || image.owner === "third-party") return image;
  const { category, ...rest } = image;
  if (category === "own" || category === "third-party") return { ...rest, owner: category };
  if (category === "example") return { ...rest, owner: "third-party", usage: "example" };
  throw new UsageError(`${where}.owner is missing (own or third-party)`);
}

/** Reads DIR/crossdock.lock, or undefined when there is none. */
export async function readLock(dir: string): Promise<Lockfile | undefined> {
  const file = path.join(dir, lockFileName);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseLock(text, file);
}

/** The sha256 of each file the journal names, as it is now (what `written` records after a rewrite). */
export async function hashWrittenFiles(
  dir: string,
  journal: readonly JournalEntry[],
): Promise<WrittenFile[]> {
  const out: WrittenFile[] = [];
  for (const file of new Set(journal.map((entry) => entry.file))) {
    const bytes = await readFile(path.join(dir, file)).catch(() => undefined);
    if (bytes) out.push({ file, sha256: createHash("sha256").update(bytes).digest("hex") });
  }
  return out;
}

/** Writes DIR/crossdock.lock atomically. */
export async function writeLock(dir: string, lock: Lockfile): Promise<string> {
  const file = path.join(dir, lockFileName);
  await writeFileAtomically(file, formatLock(lock));
  return file;
}

/**
 * One exact rule per migrated repository (`source name = target name`), so verification can find the
 * source of every target the lock knows, mirrors included, even where a broader rule would guess wrong.
 * Not for rewrites: a reverse rewrite must not map the source names forward again.
 */
export function lockRules(lock: Lockfile): MappingRule[] {
  const rules = new Map<string, MappingRule>();
  for (const image of lock.images) {
    try {
      const from = parseReference(image.source).name;
      const to = parseReference(image.target).name;
      rules.set(from, parseMappingRule(`${from}=${to}`));
    } catch {
      // A hand-edited lock entry that no longer parses adds no rule; verify reports what it cannot check.
    }
  }
  return [...rules.values()];
}
