import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { UsageError } from "../errors.js";
import { type AccessEntry, formatAccessLine } from "./access-log.js";
import { type Grant, openGrant, TokenAuthority } from "./auth.js";
import { dispatch, needOf } from "./dispatch.js";
import { ServeError } from "./errors.js";
import type { RouteContext } from "./http.js";
import { resolveConnectionLimits, type ServeAuth, type ServeOptions } from "./options.js";
import { PullLimiter } from "./pull-limit.js";
import { matchRoute } from "./router.js";
import { RegistryStorage } from "./storage.js";
import { UploadSessions } from "./upload-sessions.js";

/** A registry started by startRegistryServer. */
export interface RunningRegistry {
  /** `http://HOST:PORT`. */
  readonly url: string;
  /** `HOST:PORT`, the registry part of image references to it. */
  readonly host: string;
  /**
   * Replaces the users and public repositories (after the auth file changed); tokens already
   * issued stay valid until they expire. Throws when the server was started without auth.
   */
  updateAuth(auth: ServeAuth): void;
  /** Stops accepting connections, lets requests in flight finish (2 s at most), discards open uploads. */
  close(): Promise<void>;
}

/** How long close() waits for requests in flight before cutting their connections. */
const closeGraceMs = 2000;

/**
 * Starts an OCI distribution spec v1.1 registry on node:http with filesystem storage, optional
 * token auth and a Docker Hub style pull limit. Resolves once it listens.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
export async function startRegistryServer(options: ServeOptions): Promise<RunningRegistry> {
  options.signal?.throwIfAborted();
  const storage = await RegistryStorage.open(options.storage);
  const uploads = new UploadSessions(storage);
  const authority = options.auth === undefined ? undefined : new TokenAuthority(options.auth);
  const limiter = options.pullLimit === undefined ? undefined : new PullLimiter(options.pullLimit);
  const limits = resolveConnectionLimits(options.limits);

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    client: string,
    log: { user?: string },
  ): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://registry.invalid");
    if (url.pathname === "/token" && authority !== undefined) {
      const user = await authority.handleTokenRequest(req, res, url);
      if (user !== undefined) log.user = user;
      return;
    }
    if (url.pathname !== "/v2" && !url.pathname.startsWith("/v2/")) {
      throw new ServeError("UNSUPPORTED", "not found", { status: 404 });
    }
    // https://distribution.github.io/distribution/spec/api/#api-version-check
    res.setHeader("docker-distribution-api-version", "registry/2.0");
    const route = matchRoute(url.pathname);
    if (route === undefined)
      throw new ServeError("NAME_INVALID", "invalid repository name or endpoint", { status: 404 });
    const grant: Grant =
      authority === undefined ? openGrant : authority.authorize(req, needOf(route, req.method ?? "GET", url));
    if (grant.user !== undefined) log.user = grant.user;
    if (limiter !== undefined) {
      if (route.kind === "manifest" && req.method === "GET") limiter.take(client);
      for (const [name, value] of Object.entries(limiter.headers(client))) res.setHeader(name, value);
    }
    const ctx: RouteContext = { req, res, url, storage, uploads, canPull: (name) => grant.canPull(name) };
    await dispatch(ctx, route);
  };

  const server = createServer({ connectionsCheckingInterval: limits.checkIntervalMs }, (req, res) => {
    const started = new Date();
    // Read now: once the client is gone, req.socket is null, and a 'close' handler that reads it
    // throws and takes the whole process down.
    const client = clientAddress(req);
    const log: { user?: string } = {};
    let bytes = 0;
    const write = res.write.bind(res);
    res.write = ((chunk: unknown, ...rest: never[]) => {
      bytes += byteLength(chunk);
      return write(chunk as never, ...rest);
    }) as typeof res.write;
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: never[]) => {
      if (typeof chunk !== "function") bytes += byteLength(chunk);
      return end(chunk as never, ...rest);
    }) as typeof res.end;
    res.once("close", () => {
      if (options.accessLog === undefined) return;
      const entry: AccessEntry = {
        remoteAddress: client,
        ...(log.user !== undefined ? { user: log.user } : {}),
        time: started,
        method: req.method ?? "",
        path: req.url ?? "",
        httpVersion: req.httpVersion,
        status: res.statusCode,
        bytes,
        ...(req.headers.referer !== undefined ? { referer: req.headers.referer } : {}),
        ...(req.headers["user-agent"] !== undefined ? { userAgent: req.headers["user-agent"] } : {}),
      };
      try {
        options.accessLog(formatAccessLine(entry), entry);
      } catch {
        // A log that cannot be written (stderr closed) must not take the registry down.
      }
    });
    handle(req, res, client, log).catch((error: unknown) => sendError(req, res, error));
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = limits.headersTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Once listening, an error is a failed accept (EMFILE under a flood of connections): the
  // connection is lost, the registry goes on. Without a listener it would end the process.
  server.on("error", () => undefined);
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const host = `${hostPart}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      options.signal?.removeEventListener("abort", onAbort);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), closeGraceMs);
      await closed;
      clearTimeout(timer);
      await uploads.close();
    })();
    return closing;
  };
  const onAbort = (): void => {
    void close();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const updateAuth = (auth: ServeAuth): void => {
    if (authority === undefined)
      throw new UsageError("this registry was started without auth; restart it with one");
    authority.update(auth);
  };
  return { url: `http://${host}`, host, updateAuth, close };
}

/**
 * Answers an error in the spec's shape; an unexpected one is a 500 with no internals. When the
 * request body was not read to its end (a 413, a challenge before an upload), the connection
 * closes after the answer, lingering (closeLingering), so an endless body cannot hold it. Never
 * throws: a client that is gone, or a header value that cannot be sent, ends in a destroyed response.
 */
function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (!req.complete && req.socket !== null) closeLingering(req, res, drainBytesMax);
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  try {
    writeError(req, res, error);
  } catch {
    res.destroy();
  }
}

function writeError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const known =
    error instanceof ServeError
      ? error
      : new ServeError("UNSUPPORTED", "internal server error", { status: 500, cause: error });
  const body =
    error instanceof ServeError
      ? known.toBody()
      : JSON.stringify({ errors: [{ code: "UNKNOWN", message: "internal server error", detail: null }] });
  res.writeHead(known.status, {
    ...known.headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** How much of a refused request body is read and dropped while its connection lingers. */
const drainBytesMax = 1024 * 1024;

/**
 * How long a connection whose request body was refused lingers after the answer: its write side
 * is closed at once (so no client sends another request on it), what the client still sends is
 * read and dropped (at most drainBytesMax), then it is cut. Cutting it at once, with unread bytes,
 * sends a reset, which can make the client's kernel drop the answer before the client reads it
 * (the reason for Apache's lingering close).
 * https://httpd.apache.org/docs/2.4/misc/perf-tuning.html#lingering-close
 */
const lingerMs = 1000;

/** Answers a refused body's request, then closes its connection the lingering way (lingerMs). */
function closeLingering(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const socket = req.socket;
  let left = limit;
  const cut = (): void => {
    req.pause();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  };
  req.on("data", (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) cut();
  });
  req.resume();
  res.once("finish", () => {
    socket.end();
    cut();
  });
}

/** The client's IP, with IPv4-mapped IPv6 addresses written as IPv4. */
function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function byteLength(chunk: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.length;
  return 0;
}
