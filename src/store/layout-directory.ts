import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { openOciLayout } from "./oci-layout.js";
import type { RepositorySet } from "./repository-set.js";
import type { Repository } from "./types.js";

/** A directory holding one OCI layout per repository (`DIR/katib-ui`, `DIR/mirror/mysql`): a sync's air gap. */
export class LayoutDirectory implements RepositorySet {
  readonly location: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.location = `oci:${dir}`;
  }

  /** Every directory (at any depth) that is an OCI layout, as a repository name. */
  async list(): Promise<string[]> {
    return await findLayouts(this.#dir);
  }

  async open(name: string, create: boolean): Promise<Repository> {
    return await openOciLayout(path.join(this.#dir, name), { create });
  }
}

async function findLayouts(dir: string, relative = ""): Promise<string[]> {
  const here = path.join(dir, relative);
  if (relative !== "" && (await stat(path.join(here, "oci-layout")).catch(() => undefined)))
    return [relative];
  const entries = await readdir(here, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new UsageError(`${dir}: no such directory`);
    throw error;
  });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) found.push(...(await findLayouts(dir, path.posix.join(relative, entry.name))));
  }
  return found.sort();
}
