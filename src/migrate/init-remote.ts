import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { InvalidReferenceError } from "../reference/errors.js";
import { parsePrefix } from "../reference/mapping.js";

const run = promisify(execFile);

/** A GitHub repository named by a git remote. */
export interface GitHubRepository {
  readonly owner: string;
  readonly repo: string;
}

/**
 * The owner and repository of a github.com remote URL: `https://github.com/OWNER/REPO(.git)`
 * (with or without user info), `git@github.com:OWNER/REPO(.git)`, `ssh://git@github.com/OWNER/REPO`,
 * `git://github.com/OWNER/REPO`. Undefined for any other host: GitHub Enterprise has its own
 * container registry, not ghcr.io.
 */
export function parseGitHubRemote(url: string): GitHubRepository | undefined {
  const text = url.trim();
  const scp = /^(?:[^@/]+@)?(?:www\.)?github\.com:(?!\/)(.+)$/i.exec(text);
  const full = /^(?:https?|ssh|git|git\+ssh):\/\/(?:[^@/]*@)?(?:www\.)?github\.com(?::\d+)?\/(.+)$/i.exec(
    text,
  );
  const rest = scp?.[1] ?? full?.[1];
  if (rest === undefined) return undefined;
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(rest);
  if (match === null) return undefined;
  return { owner: match[1]!, repo: match[2]! };
}

/**
 * The ghcr.io prefix for a GitHub repository, `ghcr.io/owner/repo`, lower-cased (GHCR names are
 * lower case); undefined when the lower-cased name still is not a valid repository path (`.github`).
 */
export function ghcrTarget(repository: GitHubRepository): string | undefined {
  try {
    return parsePrefix(`ghcr.io/${repository.owner}/${repository.repo}`.toLowerCase()).text;
  } catch (error) {
    if (error instanceof InvalidReferenceError) return undefined;
    throw error;
  }
}

/**
 * The URL of the `origin` remote of the repository at `dir`: what `git -C DIR remote get-url origin`
 * says, or, when git is missing or refuses (a safe.directory check), the `url` of `[remote "origin"]`
 * in `DIR/.git/config`. Undefined when there is none. The URL may hold a token: never print it.
 */
export async function readOriginUrl(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", ["-C", dir, "remote", "get-url", "origin"], {
      // A remote lookup is local; the bound only guards against a wedged git.
      timeout: 10_000,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
      ...(signal === undefined ? {} : { signal }),
    });
    const url = stdout.trim();
    if (url !== "") return url;
  } catch {
    signal?.throwIfAborted();
  }
  const text = await fs.readFile(path.join(dir, ".git", "config"), "utf8").catch(() => undefined);
  return text === undefined ? undefined : findOriginInGitConfig(text);
}

/** The `url` of `[remote "origin"]` in git config text (the last one wins, as for git). */
export function findOriginInGitConfig(text: string): string | undefined {
  let inOrigin = false;
  let url: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*([^\]\s]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section !== null) {
      inOrigin = section[1]!.toLowerCase() === "remote" && section[2] === "origin";
      continue;
    }
    const entry = /^url\s*=\s*(.*?)\s*$/i.exec(line);
    if (inOrigin && entry !== null) url = entry[1]!.replace(/^"(.*)"$/, "$1");
  }
  return url;
}
