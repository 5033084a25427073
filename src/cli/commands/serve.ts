import { once } from "node:events";
import type { Command } from "commander";
import { parseAddress, parsePullLimit } from "../../serve/options.js";
import { writeLine } from "../output.js";

interface ServeFlags {
  storage: string;
  addr: string;
  auth?: string;
  pullLimit?: string;
  quiet?: boolean;
}

/**
 * `crossdock serve --storage DIR [--addr HOST:PORT] [--auth FILE] [--pull-limit N/WINDOW] [--quiet]`:
 * the built-in registry. Prints `crossdock serve: listening on URL` to stdout, then the access
 * log to stderr (one line a request, unless --quiet); SIGHUP re-reads the --auth file (to make a
 * repository public while it runs); SIGINT or SIGTERM closes it and exits 0.
 */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run an OCI registry on this machine (offline rehearsal, air-gap staging, demos)")
    .requiredOption("--storage <dir>", "where blobs, manifests and tags are kept (created if missing)")
    .option("--addr <host:port>", "address to listen on (port 0 picks a free one)", "127.0.0.1:5000")
    .option("--auth <file>", "token auth: user:password lines and 'public: <repo pattern>' lines")
    .option("--pull-limit <n/window>", "Docker Hub style pull limit per client IP, such as 100/6h")
    .option("--quiet", "no access log")
    .action(async (flags: ServeFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { startRegistryServer } = await import("../../serve/server.js");
      const { readAuthFile } = await import("../../serve/auth-file.js");
      const { reloadAuthOnHangup } = await import("../reload-auth.js");
      const { host, port } = parseAddress(flags.addr);
      const auth = flags.auth === undefined ? undefined : await readAuthFile(flags.auth);
      const pullLimit = flags.pullLimit === undefined ? undefined : parsePullLimit(flags.pullLimit);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      let stopReloading: (() => void) | undefined;
      try {
        const registry = await startRegistryServer({
          storage: flags.storage,
          host,
          port,
          ...(auth !== undefined ? { auth } : {}),
          ...(pullLimit !== undefined ? { pullLimit } : {}),
          ...(flags.quiet ? {} : { accessLog: (line: string) => process.stderr.write(`${line}\n`) }),
          signal: controller.signal,
        });
        writeLine(`crossdock serve: listening on ${registry.url}`);
        if (flags.auth !== undefined) stopReloading = reloadAuthOnHangup(flags.auth, registry);
        if (!controller.signal.aborted) await once(controller.signal, "abort");
        await registry.close();
        if (!flags.quiet) process.stderr.write("crossdock serve: stopped\n");
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        stopReloading?.();
      }
    });
}
