import type { ErrorCode } from "../errors.js";
import type { Reference } from "../reference/reference.js";
import { catalogScope, pullScope } from "./auth/scope.js";
import { RegistryError, redactUrl } from "./errors.js";
import { getAndRead } from "./read-body.js";
import { readLimited } from "./response.js";
import { describeFailure, isTransientFailure } from "./retry.js";
import type { RegistryCall, RegistrySession } from "./session.js";
import type { StatName } from "./stats.js";
import type { HttpResponse } from "./transport.js";
import type { ListOptions } from "./types.js";

/** One page of a list is JSON of at most this size. */
const pageSizeLimit = 16 * 1024 * 1024;
/** Pages read at most: a registry whose Link never ends is broken, not big. */
const maxPages = 100_000;

/**
 * The `next` target of a Link header (`</v2/x/tags/list?n=100&last=b>; rel="next"`), or undefined.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags
 */
export function parseNextLink(header: string | string[] | undefined): string | undefined {
  const texts = Array.isArray(header) ? header : header !== undefined ? [header] : [];
  for (const text of texts) {
    for (const part of text.split(/,(?=\s*<)/)) {
      const match = /^\s*<([^>]*)>(.*)$/.exec(part);
      if (match !== null && /;\s*rel="?next"?/i.test(match[2] ?? "")) return match[1];
    }
  }
  return undefined;
}

/** One page of a list as read: the response (Link, URL) and its JSON. */
interface Page {
  readonly res: HttpResponse;
  readonly parsed: Record<string, unknown>;
}

/** A tag as the spec's grammar allows it. https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests */
const tagPattern = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/**
 * Throws when a page is not what the spec says a list is: its field missing (null is an empty
 * list), or, for tags, an entry that is no tag. A list has no digest to check it by; this is what
 * tells a page garbled in transit from a short one, so no tag is skipped without a word.
 */
function checkPage(parsed: Record<string, unknown>, field: "tags" | "repositories"): void {
  const list = parsed[field];
  if (list === null) return;
  if (!Array.isArray(list)) throw new TypeError(`no "${field}" list in the page`);
  if (field !== "tags") return;
  const bad = list.find((tag) => typeof tag !== "string" || !tagPattern.test(tag));
  if (bad !== undefined) throw new TypeError(`${JSON.stringify(bad)} is not a tag`);
}

/** Reads every page of a paginated list (`n`, `last`, Link) and returns the concatenated entries. */
async function listAll(
  session: RegistrySession,
  registry: string,
  firstPath: string,
  field: "tags" | "repositories",
  scopes: readonly string[],
  stat: StatName,
  what: string,
  notFoundCode: ErrorCode,
  options: ListOptions,
): Promise<string[]> {
  const entries: string[] = [];
  const seen = new Set<string>();
  let target: string | URL = firstPath;
  for (let page = 0; page < maxPages; page++) {
    const call: RegistryCall = {
      registry,
      method: "GET",
      target,
      scopes,
      stat,
      headers: { accept: "application/json" },
      retryable: true,
      signal: options.signal,
    };
    const context = session.context(registry, what, notFoundCode);
    const page = await getAndRead(session, call, context, async (res): Promise<Page> => {
      let text: string;
      try {
        text = await readLimited(res.body, pageSizeLimit);
      } catch (error) {
        // Cut off mid-body (a reset, a stall): temporary, so getAndRead asks for the page again.
        throw new RegistryError({
          code: "INVALID_RESPONSE",
          message: `${what}: the page from ${registry} broke off (${describeFailure(error)})`,
          host: registry,
          url: redactUrl(res.url),
          status: res.status,
          temporary: isTransientFailure(error),
          cause: error,
        });
      }
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        checkPage(parsed, field);
        return { res, parsed };
      } catch (error) {
        // Truncated or garbled in transit, or a broken registry: asked again (bounded), then reported.
        throw new RegistryError({
          code: "INVALID_RESPONSE",
          message: `${what}: ${registry} sent an unreadable page (${describeFailure(error)})`,
          host: registry,
          url: redactUrl(res.url),
          status: res.status,
          temporary: true,
          cause: error,
        });
      }
    });
    const { res, parsed } = page;
    const list = parsed[field];
    if (Array.isArray(list)) for (const item of list) if (typeof item === "string") entries.push(item);
    const next = parseNextLink(res.headers.link);
    if (next === undefined) return entries;
    const nextUrl = new URL(next, res.url);
    if (seen.has(nextUrl.href)) return entries;
    seen.add(nextUrl.href);
    target = nextUrl;
  }
  return entries;
}

/** Every tag of a repository, all pages read. */
export async function listTags(
  session: RegistrySession,
  repo: Reference,
  options: ListOptions = {},
): Promise<string[]> {
  const query = options.pageSize !== undefined ? `?n=${options.pageSize}` : "";
  return await listAll(
    session,
    repo.domain,
    `/v2/${repo.path}/tags/list${query}`,
    "tags",
    [pullScope(repo.path)],
    "tagList",
    `tags of ${repo.name}`,
    "NAME_UNKNOWN",
    options,
  );
}

/** Every repository the registry lists in its catalog (many public registries disable it). */
export async function catalog(
  session: RegistrySession,
  registry: string,
  options: ListOptions = {},
): Promise<string[]> {
  const query = options.pageSize !== undefined ? `?n=${options.pageSize}` : "";
  return await listAll(
    session,
    registry,
    `/v2/_catalog${query}`,
    "repositories",
    [catalogScope],
    "other",
    `catalog of ${registry}`,
    "UNSUPPORTED",
    options,
  );
}
