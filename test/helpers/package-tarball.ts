import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths.js";

const run = promisify(execFile);

/**
 * The flags of every install of crossdock's tarball, the test's and the Dockerfile's alike: no
 * registry is asked (the tarball carries its dependencies, package.json's bundleDependencies).
 */
export const installFlags: readonly string[] = ["--offline", "--no-audit", "--no-fund"];

/**
 * Packs the repository as `npm pack` does, into `dir`, and returns the tarball's path. The build's
 * output in dist/ is packed as it is (`--ignore-scripts`: the test run built it already; a plain
 * `npm pack` builds first, in prepack).
 */
export async function packTarball(dir: string): Promise<string> {
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: repoRoot,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  return path.join(dir, packed!.filename);
}

/** Installs a tarball globally into `prefix` (its commands land in `prefix/bin`); returns npm's stderr. */
export async function installTarball(tarball: string, prefix: string): Promise<string> {
  const { stderr } = await run("npm", ["install", "-g", "--prefix", prefix, ...installFlags, tarball], {
    cwd: path.dirname(tarball),
  });
  return stderr;
}
