import { promises as fs } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { scanRepository } from "../scan/scan-repository.js";
import type { ImageSummary } from "../scan/types.js";
import { configFileNames, parseConfig } from "./config/load-config.js";
import { renderDraftConfig } from "./init-draft.js";
import { ghcrTarget, parseGitHubRemote, readOriginUrl } from "./init-remote.js";

/** Options of `initConfig`. */
export interface InitOptions {
  /** Overwrite an existing crossdock.yaml (or crossdock.yml). Default false: a config is someone's work. */
  readonly force?: boolean;
  /** Scan the directory to fill in the mappings. Default true; false writes the skeleton only. */
  readonly scan?: boolean;
  readonly signal?: AbortSignal;
}

/** What `initConfig` did. */
export interface InitResult {
  /** The file written. */
  readonly file: string;
  /** The suggested target (`ghcr.io/owner/repo`), when `origin` is a github.com remote. */
  readonly target?: string;
  /** What the `origin` remote was: a GitHub repository, something else, or missing. Its URL is never kept (it may hold a token). */
  readonly remote: "github" | "other" | "none";
  /** The images the scan found; undefined when no scan was run. */
  readonly images?: readonly ImageSummary[];
}

/**
 * Writes a commented draft crossdock.yaml into `dir`, suggesting `ghcr.io/OWNER/REPO` from the
 * `origin` remote and a mapping per Docker Hub namespace of the images the scan finds. Refuses
 * (UsageError, exit 2) when a config file is already there, unless `force`. The draft is parsed
 * before it is written, so what init writes always loads.
 */
export async function initConfig(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const force = options.force ?? false;
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`${dir}: not a directory`, { code: "INIT_NO_DIRECTORY" });
  const existing: string[] = [];
  for (const name of configFileNames) {
    const candidate = path.join(dir, name);
    if (
      await fs.stat(candidate).then(
        () => true,
        () => false,
      )
    )
      existing.push(candidate);
  }
  if (existing.length > 0 && !force) {
    throw new UsageError(`${existing.join(" and ")} already exists: use --force to overwrite it`, {
      code: "CONFIG_EXISTS",
    });
  }
  const file = existing[0] ?? path.join(dir, configFileNames[0]);

  const url = await readOriginUrl(dir, options.signal);
  const repository = url === undefined ? undefined : parseGitHubRemote(url);
  const target = repository === undefined ? undefined : ghcrTarget(repository);
  // The config file itself names images (its own mappings and comments): never take those for the project's.
  const exclude = configFileNames.map((name) => `/${name}`);
  const images =
    options.scan === false
      ? undefined
      : (
          await scanRepository(dir, {
            exclude,
            ...(options.signal === undefined ? {} : { signal: options.signal }),
          })
        ).images;

  const text = renderDraftConfig({
    ...(target === undefined ? {} : { target }),
    ...(images === undefined ? {} : { images }),
  });
  parseConfig(text, file);
  await fs.writeFile(file, text, { flag: force ? "w" : "wx" });
  return {
    file,
    remote: repository !== undefined ? "github" : url !== undefined ? "other" : "none",
    ...(target === undefined ? {} : { target }),
    ...(images === undefined ? {} : { images }),
  };
}
