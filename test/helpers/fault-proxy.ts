import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a request to a registry is for, as the proxy sorts it by method and path. */
export type RequestKind = "manifest" | "blob" | "tags" | "upload" | "token" | "other";

/**
 * The faults the proxy injects, each as a real network or registry would produce it:
 * - `5xx`, `429`, `429-retry-after`: an error answer instead of the registry's (Retry-After: 1);
 * - `reset`: the connection dies half-way through the body (the response's, or an upload's);
 * - `truncate`: the response body ends cleanly half-way (no Content-Length, chunked);
 * - `flip`: one byte of the body (response, or upload) is changed, the length kept;
 * - `stall`: half a GET's response body (another request: no answer at all), then nothing until
 *   the connection is closed;
 * - `alter`: a manifest PUT arrives as other bytes, still valid JSON (the target stores other bytes).
 */
export type FaultKind = "5xx" | "429" | "429-retry-after" | "reset" | "truncate" | "flip" | "stall" | "alter";

/** One fault that was injected. */
export interface InjectedFault {
  readonly kind: RequestKind;
  readonly fault: FaultKind;
  readonly method: string;
  readonly path: string;
}

/** What to inject, into which requests, how often. */
export interface FaultPlan {
  readonly kind: RequestKind;
  readonly fault: FaultKind;
  /** The chance that a matching request gets the fault (drawn from the seeded generator). */
  readonly rate: number;
  /** Faults injected at most (default: no bound). */
  readonly maxFaults?: number;
  readonly seed: number;
}

/** A fault-injection proxy in front of one registry. */
export interface FaultProxy {
  /** `127.0.0.1:PORT`, the host part of references through the proxy. */
  readonly host: string;
  readonly url: string;
  /** The faults injected since the last `plan()`. */
  readonly injected: InjectedFault[];
  /** Sets what to inject from now on (undefined: nothing, a plain proxy), forgetting what was injected. */
  plan(plan: FaultPlan | undefined): void;
  stop(): Promise<void>;
}

/** Options of startFaultProxy. */
export interface FaultProxyOptions {
  /** The registry behind the proxy, `http://127.0.0.1:PORT`. */
  readonly upstream: string;
  /** How long a `stall` holds the connection before closing it; longer than the client's idle timeout. */
  readonly stallMs: number;
}

/** Sorts a request: manifests, blob GET/HEAD, tag lists, uploads (POST/PATCH/PUT), token requests. */
export function requestKindOf(method: string, path: string): RequestKind {
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(path)) return "manifest";
  if (/^\/v2\/.+\/blobs\/uploads\//.test(path)) return "upload";
  if (/^\/v2\/.+\/blobs\/[^/]+$/.test(path)) return method === "GET" || method === "HEAD" ? "blob" : "other";
  if (/^\/v2\/.+\/tags\/list$/.test(path)) return "tags";
  if (!path.startsWith("/v2/")) return "token";
  return "other";
}

/** Whether `fault` can happen to a request with this method (a HEAD has no body to cut, a GET none to alter). */
function applies(fault: FaultKind, kind: RequestKind, method: string): boolean {
  const sendsBody = method === "PUT" || method === "PATCH";
  switch (fault) {
    case "alter":
      return kind === "manifest" && method === "PUT";
    case "truncate":
      return method === "GET";
    case "reset":
    case "flip":
      return method === "GET" || sendsBody;
    default:
      return true;
  }
}

/** mulberry32: a small seeded generator, so a trial's faults are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts an HTTP proxy on loopback (port 0) in front of a registry that injects seeded faults into
 * the requests of one kind, as `plan()` says. Everything else passes through unchanged (Host kept,
 * so the registry's Location headers name the proxy). Bodies are small in the tests: each is read
 * whole, then sent on as the fault says.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const injected: InjectedFault[] = [];
  let current: { plan: FaultPlan; random: () => number } | undefined;
  const sockets = new Set<import("node:net").Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const holdThenClose = (socket: import("node:net").Socket, ms: number): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      socket.destroy();
    }, ms);
    timers.add(timer);
  };

  const decide = (kind: RequestKind, method: string, path: string): FaultKind | undefined => {
    if (current === undefined || current.plan.kind !== kind) return undefined;
    const { plan, random } = current;
    if (!applies(plan.fault, kind, method)) return undefined;
    if (injected.length >= (plan.maxFaults ?? Number.POSITIVE_INFINITY)) return undefined;
    if (random() >= plan.rate) return undefined;
    injected.push({ kind, fault: plan.fault, method, path });
    return plan.fault;
  };

  const server = http.createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const fault = decide(requestKindOf(method, path), method, path);
    let body = await readAll(req).catch(() => undefined);
    if (body === undefined) return;
    if (fault === "5xx" || fault === "429" || fault === "429-retry-after") {
      const status = fault === "5xx" ? 503 : 429;
      const code = fault === "5xx" ? "UNAVAILABLE" : "TOOMANYREQUESTS";
      res.writeHead(status, {
        "content-type": "application/json",
        ...(fault === "429-retry-after" ? { "retry-after": "1" } : {}),
      });
      res.end(JSON.stringify({ errors: [{ code, message: `injected ${fault}` }] }));
      return;
    }
    if (body.length > 0 && (fault === "reset" || fault === "flip" || fault === "alter")) {
      if (fault === "reset") {
        // The upload dies half-way: the registry sees a short body from a dead connection.
        forward(req, body.subarray(0, body.length >> 1), true).catch(() => undefined);
        req.socket.destroy();
        return;
      }
      body = fault === "flip" ? flipByte(body) : alterManifest(body);
    }
    if (fault === "stall" && method !== "GET") {
      // The request arrived whole; no answer comes, until the connection is closed.
      holdThenClose(req.socket, options.stallMs);
      return;
    }
    const answer = forward(req, body, false);
    const upstreamRes = await answer.catch(() => undefined);
    if (upstreamRes === undefined) {
      req.socket.destroy();
      return;
    }
    const { status, headers, bytes } = upstreamRes;
    const responseFault = method === "GET" && bytes.length > 1 ? fault : undefined;
    if (responseFault === "truncate") {
      delete headers["content-length"];
      res.writeHead(status, headers);
      res.end(bytes.subarray(0, bytes.length >> 1));
      return;
    }
    if (responseFault === "reset" || responseFault === "stall") {
      res.writeHead(status, headers);
      res.write(bytes.subarray(0, bytes.length >> 1));
      holdThenClose(req.socket, responseFault === "stall" ? options.stallMs : 20);
      return;
    }
    if (fault === "reset") {
      // No body to cut (a HEAD): the connection dies before the answer.
      req.socket.destroy();
      return;
    }
    res.writeHead(status, headers);
    res.end(responseFault === "flip" ? flipByte(bytes) : bytes);
  });

  const forward = (
    req: http.IncomingMessage,
    body: Buffer,
    abandon: boolean,
  ): Promise<{ status: number; headers: http.OutgoingHttpHeaders; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers };
      if (body.length > 0 || headers["content-length"] !== undefined)
        headers["content-length"] = String(body.length);
      delete headers["transfer-encoding"];
      const outgoing = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (incoming) => {
          readAll(incoming).then((bytes) => {
            const out: http.OutgoingHttpHeaders = { ...incoming.headers };
            delete out["transfer-encoding"];
            resolve({ status: incoming.statusCode ?? 502, headers: out, bytes });
          }, reject);
        },
      );
      outgoing.on("error", reject);
      if (abandon) {
        // Half the body, then the connection to the registry dies too.
        outgoing.write(body);
        setTimeout(() => outgoing.destroy(), 10);
        return;
      }
      outgoing.end(body);
    });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    injected,
    plan(plan) {
      injected.length = 0;
      current = plan === undefined ? undefined : { plan, random: seededRandom(plan.seed) };
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes with one byte in the middle changed. */
function flipByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.length >> 1;
  copy[at] = (copy[at]! ^ 0x20) & 0xff;
  return copy;
}

/** A manifest with an annotation added: still valid JSON, other bytes, another digest. */
function alterManifest(bytes: Buffer): Buffer {
  try {
    const parsed = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
    parsed["annotations"] = {
      ...(parsed["annotations"] as object | undefined),
      "injected.by": "fault-proxy",
    };
    return Buffer.from(JSON.stringify(parsed));
  } catch {
    return flipByte(bytes);
  }
}
