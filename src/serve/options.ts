import { UsageError } from "../errors.js";
import type { AccessEntry } from "./access-log.js";

/** A user of the registry: a name and either the password or its sha256 (lower-case hex). */
export interface ServeUser {
  readonly name: string;
  readonly password?: string;
  readonly passwordSha256?: string;
}

/**
 * Token auth for `serve`: who may log in, and which repositories anyone may pull anonymously.
 * Every other repository is private, including one created by a push, so GHCR's "private on
 * first push" can be rehearsed by leaving it out of `publicRepositories`.
 */
export interface ServeAuth {
  readonly users: readonly ServeUser[];
  /** Glob patterns (`*` within a path component, `**` across them) of anonymously pullable repositories. */
  readonly publicRepositories: readonly string[];
  /** The `service` of the challenge and tokens; "crossdock" by default. */
  readonly service?: string;
  /** How long a token lives; 300 s by default, as Docker Hub's do. */
  readonly tokenTtlSeconds?: number;
}

/** Docker Hub style pull accounting: `limit` manifest GETs per client IP in any `windowSeconds`. */
export interface PullLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** Options of startRegistryServer. */
export interface ServeOptions {
  /** The storage directory (created when missing). */
  readonly storage: string;
  /** Interface to listen on; 127.0.0.1 by default, so nothing is exposed by accident. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Token auth; without it every request is allowed, as a plain `docker-registry` does. */
  readonly auth?: ServeAuth;
  /** Pull limit; without it there is none. */
  readonly pullLimit?: PullLimit;
  /** Called once per request with its Apache combined-log line. */
  readonly accessLog?: (line: string, entry: AccessEntry) => void;
  /** Bounds on connections, for a registry that hostile clients can reach; defaults below. */
  readonly limits?: Partial<ConnectionLimits>;
  /** Aborting closes the server. */
  readonly signal?: AbortSignal;
}

/** How many connections the registry holds and how long it waits for slow or silent clients. */
export interface ConnectionLimits {
  /** Connections open at once; more are closed as they arrive. */
  readonly maxConnections: number;
  /** A request's line and headers must arrive within this time (408 otherwise). */
  readonly headersTimeoutMs: number;
  /** A connection with a request in progress that sends or reads nothing this long is closed. */
  readonly idleTimeoutMs: number;
  /** How often connections are checked against headersTimeoutMs. */
  readonly checkIntervalMs: number;
}

/**
 * The connection limits, every default resolved here:
 * - 256 connections: crossdock's own sync opens at most jobs x blob-jobs (24 by default) at once,
 *   so 256 serves several clients while connections and the files they stream stay well under
 *   the usual 1024 open files;
 * - 10 s for headers (Node's default is 60 s): a request line and headers are one small write,
 *   and a slowloris client then holds a connection for seconds, not minutes;
 * - 150 s of silence mid-request: longer than the 120 s crossdock's client waits for a stalled
 *   source itself, so the client, not the registry, reports a stalled transfer;
 * - checked every second (Node's default is 30 s), so the header timeout holds to the second.
 */
export function resolveConnectionLimits(limits: Partial<ConnectionLimits> = {}): ConnectionLimits {
  return {
    maxConnections: limits.maxConnections ?? 256,
    headersTimeoutMs: limits.headersTimeoutMs ?? 10_000,
    idleTimeoutMs: limits.idleTimeoutMs ?? 150_000,
    checkIntervalMs: limits.checkIntervalMs ?? 1_000,
  };
}

const unitSeconds: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses `--pull-limit N/WINDOW`, such as `100/6h` (Docker Hub's anonymous limit) or `5/30s`.
 * The window is a number with a unit s, m, h or d; a bare number is seconds.
 */
export function parsePullLimit(input: string): PullLimit {
  const match = /^(\d+)\/(\d+)([smhd]?)$/.exec(input.trim());
  if (match === null) {
    throw new UsageError(`invalid --pull-limit "${input}": want N/WINDOW, such as 100/6h`);
  }
  const limit = Number(match[1]);
  const windowSeconds = Number(match[2]) * (unitSeconds[match[3] || "s"] ?? 1);
  if (limit < 1 || windowSeconds < 1) {
    throw new UsageError(`invalid --pull-limit "${input}": the limit and the window must be positive`);
  }
  return { limit, windowSeconds };
}

/**
 * Parses `--addr HOST:PORT` (`127.0.0.1:5000`, `[::1]:5000`, `:5000` for 127.0.0.1, or a bare
 * port). Port 0 picks a free port.
 */
export function parseAddress(input: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$|^(\d{1,5})$/.exec(input.trim());
  if (match === null)
    throw new UsageError(`invalid --addr "${input}": want HOST:PORT, such as 127.0.0.1:5000`);
  const port = Number(match[3] ?? match[4]);
  if (port > 65535) throw new UsageError(`invalid --addr "${input}": port ${port} is out of range`);
  const host = match[1] ?? (match[2] === undefined || match[2] === "" ? "127.0.0.1" : match[2]);
  return { host, port };
}
