import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ServeOptions } from "../../src/serve/options.js";
import { startRegistryServer } from "../../src/serve/server.js";
import { type AccessEntry, type DistributionRegistry, parseAccessLine } from "./distribution.js";

/** Options of startServeRegistry: those of startRegistryServer but the storage (a temp dir by default). */
export type ServeRegistryOptions = Partial<Omit<ServeOptions, "accessLog" | "signal">>;

/**
 * Starts `crossdock serve`'s registry in-process on a free loopback port with temporary storage,
 * in the same shape as startDistribution, so a suite can run against either. The access log is
 * parsed from the server's own log lines, as distribution's is from its stderr.
 */
export async function startServeRegistry(options: ServeRegistryOptions = {}): Promise<DistributionRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-serve-"));
  const storage = options.storage ?? path.join(dir, "storage");
  let entries: AccessEntry[] = [];
  const running = await startRegistryServer({
    ...options,
    storage,
    host: "127.0.0.1",
    port: options.port ?? 0,
    accessLog: (line) => {
      const entry = parseAccessLine(line);
      if (entry !== undefined) entries.push(entry);
    },
  });
  return {
    host: running.host,
    url: running.url,
    storage,
    accessLog: () => [...entries],
    clearAccessLog: () => {
      entries = [];
    },
    stop: async () => {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
