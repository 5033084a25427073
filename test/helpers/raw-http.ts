import net from "node:net";

/** What came back on a raw connection. */
export interface RawExchange {
  /** The status of the first answer, or undefined when none came. */
  readonly status?: number;
  /** Everything the server sent. */
  readonly response: string;
  /** True when the server closed the connection (false when the wait ran out first). */
  readonly closedByServer: boolean;
}

/** Options of rawExchange. */
export interface RawExchangeOptions {
  /** How long to wait for the server after the last write (3 s by default). */
  readonly waitMs?: number;
  /** Half-close after the last write (a body shorter than its Content-Length, then EOF). */
  readonly end?: boolean;
  /** Destroy the connection right after the last write (a client that goes away mid-request). */
  readonly destroy?: boolean;
}

/**
 * Sends bytes exactly as given on a new TCP connection to 127.0.0.1:port, for requests that
 * fetch and node:http refuse to make (bad paths, lying headers, bodies cut off), and collects
 * the answer until the server closes the connection or `waitMs` passes.
 */
export async function rawExchange(
  port: number,
  chunks: readonly (string | Uint8Array)[],
  options: RawExchangeOptions = {},
): Promise<RawExchange> {
  const socket = net.connect(port, "127.0.0.1");
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  const closed = new Promise<boolean>((resolve) => {
    socket.once("close", () => resolve(true));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
  }
  if (options.destroy) {
    socket.destroy();
    return { response: "", closedByServer: false };
  }
  if (options.end) socket.end();
  let timer: NodeJS.Timeout | undefined;
  const closedByServer = await Promise.race([
    closed,
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.waitMs ?? 3000);
    }),
  ]);
  clearTimeout(timer);
  socket.destroy();
  const response = Buffer.concat(received).toString("latin1");
  const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
  return { ...(status !== undefined ? { status: Number(status) } : {}), response, closedByServer };
}
