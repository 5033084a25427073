/**
 * Registry processes for the organisation-scale benchmark, over a given storage directory, that
 * count their requests from their access logs as the lines arrive (a million requests are not
 * kept as text). docker-registry (the CNCF distribution registry) and `crossdock serve` both log
 * one combined-format line per request.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { freePort, parseAccessLine } from "../test/helpers/distribution.js";
import { cliPath } from "../test/helpers/paths.js";

/** Which registry: Debian's docker-registry or crossdock's own. */
export type RegistryKind = "distribution" | "serve";

/** What a registry was asked since the last reset. */
export interface RequestTally {
  /** Requests by `METHOD endpoint status` (`HEAD manifests 200`). */
  readonly byKind: Record<string, number>;
  readonly total: number;
  /** Distinct tags written (manifest PUTs by tag). */
  readonly tagsWritten: number;
  /** Manifest PUTs by tag (`org/app-0001:v1.0.3`) that came more than once: a tag written twice. */
  readonly tagsWrittenTwice: number;
  /** Answers 429 Too Many Requests. */
  readonly tooMany: number;
}

/** A running registry whose requests are counted. */
export interface CountingRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  tally(): RequestTally;
  reset(): void;
  stop(): Promise<void>;
}

/** Starts a registry of `kind` over `storage` (a directory org-seed.ts wrote, or an empty one). */
export async function startCountingRegistry(
  kind: RegistryKind,
  storage: string,
  configDir: string,
  extraArgs: readonly string[] = [],
): Promise<CountingRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let child: ChildProcess;
  if (kind === "distribution") {
    const config = [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: false",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${storage}`,
      "http:",
      `  addr: ${host}`,
    ].join("\n");
    const file = path.join(configDir, `registry-${port}.yml`);
    await writeFile(file, `${config}\n`);
    child = spawn("docker-registry", ["serve", file], { stdio: ["ignore", "pipe", "pipe"] });
  } else {
    child = spawn(process.execPath, [cliPath, "serve", "--storage", storage, "--addr", host, ...extraArgs], {
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
  let byKind: Record<string, number> = {};
  let total = 0;
  let tooMany = 0;
  let tagPuts = new Map<string, number>();
  let rest = "";
  const onData = (chunk: Buffer): void => {
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const entry = parseAccessLine(line);
      if (entry === undefined) continue;
      total++;
      if (entry.status === 429) tooMany++;
      const endpoint = /\/(manifests|blobs\/uploads|blobs|tags|referrers|_catalog)\b/.exec(entry.path)?.[1];
      const key = `${entry.method} ${endpoint ?? entry.path} ${entry.status}`;
      byKind[key] = (byKind[key] ?? 0) + 1;
      const put = /^\/v2\/(.+)\/manifests\/([^/:?]+)$/.exec(entry.path);
      if (entry.method === "PUT" && put !== null && entry.status < 300) {
        const tag = `${put[1]}:${put[2]}`;
        tagPuts.set(tag, (tagPuts.get(tag) ?? 0) + 1);
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  await waitUntilUp(`http://${host}`, child);
  const reset = (): void => {
    byKind = {};
    total = 0;
    tooMany = 0;
    tagPuts = new Map();
  };
  reset();
  return {
    host,
    tally: () => ({
      byKind: { ...byKind },
      total,
      tooMany,
      tagsWritten: tagPuts.size,
      tagsWrittenTwice: [...tagPuts.values()].filter((n) => n > 1).length,
    }),
    reset,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the registry exited ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/v2/`);
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url}: no answer within 30 s`);
}
