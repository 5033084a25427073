import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { isNondistributableMediaType } from "../../src/oci/media-types.js";

/** Every file under a directory (relative paths, sorted) with its size: what a test compares before and after. */
export async function listTree(root: string, skip: readonly string[] = []): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.includes(full)) continue;
      if (entry.isDirectory()) {
        out.push(`${path.relative(root, full)}/`);
        await walk(full);
      } else {
        out.push(`${path.relative(root, full)} ${(await stat(full)).size}`);
      }
    }
  };
  await walk(root);
  return out.sort();
}

/**
 * What is wrong in a `crossdock serve` storage directory, read straight from the files (not
 * through the server): a blob file whose bytes do not hash to its name, a top-level entry the
 * layout does not have, or a tag on a manifest that is not complete in its repository (its
 * record, its bytes, and every blob or child manifest it names). Empty when all is well.
 */
export async function auditStorage(storage: string): Promise<string[]> {
  const problems: string[] = [];
  const top = (await readdir(storage)).sort();
  if (top.join(",") !== "blobs,repositories,uploads") problems.push(`unexpected top level: ${top.join(",")}`);
  const blobs = path.join(storage, "blobs");
  for (const algorithm of await readdir(blobs)) {
    for (const hex of await readdir(path.join(blobs, algorithm))) {
      const actual = createHash(algorithm)
        .update(await readFile(path.join(blobs, algorithm, hex)))
        .digest("hex");
      if (actual !== hex) problems.push(`blobs/${algorithm}/${hex} holds other bytes`);
    }
  }
  const blobFile = (digest: string): string => path.join(blobs, ...digest.split(":"));
  const has = async (file: string): Promise<boolean> =>
    (await stat(file).catch(() => undefined)) !== undefined;
  const checkRepository = async (dir: string, name: string): Promise<void> => {
    const tagsDir = path.join(dir, "_tags");
    const tags = await readdir(tagsDir).catch(() => [] as string[]);
    for (const tag of tags) {
      const digest = (await readFile(path.join(tagsDir, tag), "utf8")).trim();
      const where = `${name}:${tag} -> ${digest}`;
      if (!(await has(path.join(dir, "_manifests", ...digest.split(":"))))) {
        problems.push(`${where}: no manifest record`);
        continue;
      }
      if (!(await has(blobFile(digest)))) {
        problems.push(`${where}: no manifest bytes`);
        continue;
      }
      const manifest = JSON.parse(await readFile(blobFile(digest), "utf8")) as {
        manifests?: { digest: string }[];
        config?: { digest: string; mediaType: string };
        layers?: { digest: string; mediaType: string; urls?: string[] }[];
      };
      const blobsNamed: { digest: string; mediaType: string; urls?: string[] }[] = [
        ...(manifest.config ? [manifest.config] : []),
        ...(manifest.layers ?? []),
      ];
      for (const child of manifest.manifests ?? []) {
        if (!(await has(path.join(dir, "_manifests", ...child.digest.split(":")))))
          problems.push(`${where}: child ${child.digest} missing`);
      }
      for (const blob of blobsNamed) {
        if (isNondistributableMediaType(blob.mediaType) || (blob.urls?.length ?? 0) > 0) continue;
        const linked = await has(path.join(dir, "_blobs", ...blob.digest.split(":")));
        if (!linked || !(await has(blobFile(blob.digest))))
          problems.push(`${where}: blob ${blob.digest} missing`);
      }
    }
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith("_")) {
        await checkRepository(path.join(dir, entry.name), name === "" ? entry.name : `${name}/${entry.name}`);
      }
    }
  };
  await checkRepository(path.join(storage, "repositories"), "");
  return problems;
}
