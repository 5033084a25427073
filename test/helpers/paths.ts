import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (tests run compiled from dist/test/..., fixtures stay in test/fixtures). */
export const repoRoot = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");

/** A path under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot, "test", "fixtures", ...parts);
}

/** The CLI entry point, for tests that run crossdock as a user would. */
export const cliPath = path.join(repoRoot, "bin", "crossdock.js");
