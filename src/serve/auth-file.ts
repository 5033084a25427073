import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import type { ServeAuth, ServeUser } from "./options.js";

/**
 * Parses the `--auth FILE` of `crossdock serve`. One entry a line; `#` starts a comment:
 *
 * ```
 * alice:s3cret                  # a user and a plain-text password
 * bob:sha256:5e884898da28...    # or the sha256 of the password (lower-case hex)
 * public: library/*             # repositories anyone may pull without logging in
 * public: demo/**               # `*` stays within a path component, `**` spans them
 * ```
 *
 * Every repository not named by a `public:` line is private, also one created by a push (as on
 * GHCR). Every user may pull, push and delete everywhere. All problems are reported at once.
 */
export function parseAuthFile(text: string, source = "auth file"): ServeAuth {
  const users: ServeUser[] = [];
  const publicRepositories: string[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    const where = `${source}:${index + 1}`;
    const publicMatch = /^public:\s*(\S+)$/.exec(line);
    if (publicMatch !== null) {
      publicRepositories.push(publicMatch[1]!);
      return;
    }
    const colon = line.indexOf(":");
    if (colon <= 0 || colon === line.length - 1) {
      problems.push(`${where}: want "user:password", "user:sha256:<hex>" or "public: <pattern>"`);
      return;
    }
    const name = line.slice(0, colon);
    const secret = line.slice(colon + 1);
    if (users.some((user) => user.name === name)) problems.push(`${where}: user "${name}" is listed twice`);
    const hashed = /^sha256:([a-f0-9]{64})$/.exec(secret);
    users.push(hashed !== null ? { name, passwordSha256: hashed[1]! } : { name, password: secret });
  });
  if (problems.length > 0) throw new UsageError(`invalid ${source}:\n${problems.join("\n")}`);
  return { users, publicRepositories };
}

/** Reads and parses an auth file; a missing or unreadable file is a UsageError. */
export async function readAuthFile(file: string): Promise<ServeAuth> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --auth file ${file}`, { cause: error });
  }
  return parseAuthFile(text, file);
}

/** Whether a repository name matches a `public:` pattern (`*` within a component, `**` across). */
export function matchesRepositoryPattern(pattern: string, name: string): boolean {
  const source = pattern
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*");
  return new RegExp(`^${source}$`).test(name);
}
