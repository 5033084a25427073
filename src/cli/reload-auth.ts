import { readAuthFile } from "../serve/auth-file.js";
import { formatError } from "./format-error.js";

/**
 * Re-reads `crossdock serve --auth FILE` on SIGHUP (to make a repository public while the
 * registry runs); a file that no longer reads keeps the previous auth. Returns what stops it.
 */
export function reloadAuthOnHangup(
  file: string,
  registry: { updateAuth(auth: Awaited<ReturnType<typeof readAuthFile>>): void },
): () => void {
  const reload = (): void => {
    readAuthFile(file).then(
      (next) => {
        registry.updateAuth(next);
        process.stderr.write(`crossdock serve: reloaded ${file}\n`);
      },
      (error: unknown) =>
        process.stderr.write(`crossdock serve: kept the previous auth: ${formatError(error)}\n`),
    );
  };
  process.on("SIGHUP", reload);
  return () => process.off("SIGHUP", reload);
}
