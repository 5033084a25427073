import { promises as fs } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { InvalidReferenceError } from "../reference/errors.js";
import { parsePrefix } from "../reference/mapping.js";
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
  /** The source prefix to move (`quay.io/myorg`, any registry); absent: each namespace of the own images found. */
  readonly from?: string;
  /** The target prefix; absent: `ghcr.io/OWNER/REPO` from the `origin` remote, when it is on github.com. */
  readonly to?: string;
  readonly signal?: AbortSignal;
}

/** What `initConfig` did. */
export interface InitResult {
  /** The file written. */
  readonly file: string;
  /** The target: `to`, or the one suggested when `origin` is a github.com remote (`ghcr.io/owner/repo`). */
  readonly target?: string;
  /** What the `origin` remote was: a GitHub repository, something else, or missing. Its URL is never kept (it may hold a token). */
  readonly remote: "github" | "other" | "none";
  /** The images the scan found; undefined when no scan was run. */
  readonly images?: readonly ImageSummary[];
}

/**
 * Writes a commented draft crossdock.yaml into `dir`: a mapping from `from` (or from each namespace
 * of the own images the scan finds, on any registry) to `to` (or `ghcr.io/OWNER/REPO` from the
 * `origin` remote). Refuses (UsageError, exit 2) when a config file is already there, unless
 * `force`, and when `from` or `to` is not a prefix, before anything is written. The draft is parsed
 * before it is written, so what init writes always loads.
 */
export async function initConfig(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const force = options.force ?? false;
  // Checked first: bad input touches nothing.
  const from = options.from === undefined ? undefined : readInitPrefix("--from", options.from);
  const to = options.to === undefined ? undefined : readInitPrefix("--to", options.to);
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
  const target = to ?? (repository === undefined ? undefined : ghcrTarget(repository));
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
    ...(from === undefined ? {} : { from }),
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

/** A `--from`/`--to` prefix in canonical form (`myorg` is `docker.io/myorg`); a bad one is a UsageError naming the flag. */
function readInitPrefix(flag: string, value: string): string {
  try {
    return parsePrefix(value).text;
  } catch (error) {
    if (error instanceof InvalidReferenceError)
      throw new UsageError(`${flag} ${value}: not a registry prefix (${error.reason})`, {
        code: "INVALID_REFERENCE",
      });
    throw error;
  }
}
