import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A real CNCF distribution registry (Debian's `docker-registry`) on a free loopback port. */
export interface DistributionRegistry {
  /** `127.0.0.1:PORT`, the host part of references to it. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly storage: string;
  /** The access log: one parsed entry per HTTP request the registry served so far. */
  accessLog(): AccessEntry[];
  /** Forgets the access log so far (to count the requests of one step). */
  clearAccessLog(): void;
  stop(): Promise<void>;
}

/** One request from the registry's access log. */
export interface AccessEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Response body bytes, as logged. */
  readonly bytes: number;
}

export interface DistributionOptions {
  /** YAML for the `auth:` section (htpasswd or token), indented under `auth:` by the caller's lines. */
  readonly authYaml?: string;
  /** Extra top-level YAML appended to the config. */
  readonly extraYaml?: string;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `docker-registry serve` with temporary storage and a generated config, waits until
 * `/v2/` answers, and parses its access log from stderr.
 */
export async function startDistribution(options: DistributionOptions = {}): Promise<DistributionRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-distribution-"));
  const storage = path.join(dir, "storage");
  // freePort closes its socket before docker-registry binds the port, so something else (a
  // registry started on port 0 meanwhile) can take it: then this one exits, and another port is tried.
  for (let attempt = 1; ; attempt++) {
    const started = await launch(dir, storage, await freePort(), options);
    if (started !== undefined) return started;
    if (attempt === 3) throw new Error("docker-registry could not bind a free port three times");
  }
}

async function launch(
  dir: string,
  storage: string,
  port: number,
  options: DistributionOptions,
): Promise<DistributionRegistry | undefined> {
  const config = [
    "version: 0.1",
    "log:",
    "  level: info",
    "  accesslog:",
    "    disabled: false",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${storage}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    ...(options.authYaml !== undefined ? ["auth:", options.authYaml] : []),
    ...(options.extraYaml !== undefined ? [options.extraYaml] : []),
  ].join("\n");
  const configPath = path.join(dir, "config.yml");
  await writeFile(configPath, `${config}\n`);
  const child = spawn("docker-registry", ["serve", configPath], { stdio: ["ignore", "pipe", "pipe"] });
  let entries: AccessEntry[] = [];
  let output = "";
  // The child's own word that it holds the port: an answer on the port alone could come from another server.
  const listening = { seen: false };
  const onData = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
    let newline = output.indexOf("\n");
    while (newline >= 0) {
      const line = output.slice(0, newline);
      output = output.slice(newline + 1);
      if (line.includes(`listening on 127.0.0.1:${port}`)) listening.seen = true;
      const entry = parseAccessLine(line);
      if (entry !== undefined) entries.push(entry);
      newline = output.indexOf("\n");
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitUntilUp(url, child, listening))) return undefined;
  entries = [];
  return {
    host: `127.0.0.1:${port}`,
    url,
    storage,
    accessLog: () => [...entries],
    clearAccessLog: () => {
      entries = [];
    },
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Parses an Apache combined-log line such as `127.0.0.1 - - [date] "GET /v2/ HTTP/1.1" 200 2 "" "ua"`:
 * distribution's access log, and crossdock serve's, which has the same shape.
 */
export function parseAccessLine(line: string): AccessEntry | undefined {
  const match = /"(GET|HEAD|PUT|POST|PATCH|DELETE) (\S+) HTTP\/[\d.]+" (\d{3}) (\d+|-)/.exec(line);
  if (match === null) return undefined;
  const bytes = match[4] === "-" ? 0 : Number(match[4]);
  return { method: match[1]!, path: match[2]!, status: Number(match[3]), bytes };
}

/** Waits until the child says it listens and `/v2/` answers; false when the child exited first (port taken). */
async function waitUntilUp(url: string, child: ChildProcess, listening: { seen: boolean }): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      if (listening.seen) {
        const response = await fetch(`${url}/v2/`);
        await response.arrayBuffer();
        return true;
      }
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`docker-registry did not answer at ${url} within 15 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
