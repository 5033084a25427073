import http from "node:http";
import type { AddressInfo } from "node:net";

/** A request a scripted server saw. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A node:http server on port 0 whose answers a test scripts, for protocol corner cases. */
export interface ScriptedServer {
  /** `127.0.0.1:PORT` (or the host it was bound to). */
  readonly host: string;
  readonly url: string;
  readonly requests: SeenRequest[];
  stop(): Promise<void>;
}

/** The handler sees the request with its whole body read. */
export type ScriptedHandler = (req: SeenRequest, res: http.ServerResponse, raw: http.IncomingMessage) => void;

/** Starts a scripted server on `bindHost` (default 127.0.0.1), port 0. */
export async function startScriptedServer(
  handler: ScriptedHandler,
  bindHost = "127.0.0.1",
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(seen);
      handler(seen, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, bindHost, resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `${bindHost}:${port}`;
  return {
    host,
    url: `http://${host}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
