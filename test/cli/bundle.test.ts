/**
 * The bundled CLI (dist/cli, scripts/bundle-cli.mjs) starts workers by URL relative to its own
 * files: every such file must be in the bundle, or the CLI quietly runs without it.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { repoRoot } from "../helpers/paths.js";

test("every file the bundled CLI loads by URL is in dist/cli", () => {
  const dir = path.join(repoRoot, "dist", "cli");
  const loaded = readdirSync(dir)
    .filter((name) => name.endsWith(".js"))
    .flatMap((name) => [
      ...readFileSync(path.join(dir, name), "utf8").matchAll(/new URL\("(\.\/[^"]+)", import\.meta\.url\)/g),
    ])
    .map((match) => match[1]!);
  assert.ok(existsSync(path.join(dir, "main.js")), "dist/cli/main.js, the CLI's entry point, is missing");
  for (const file of loaded) assert.ok(existsSync(path.join(dir, file)), `dist/cli/${file} is missing`);
});
