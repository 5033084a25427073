// Bundles the CLI into dist/cli for a fast start (`npm run build`): Node loading about 90 small
// modules one at a time cost a no-op sync a tenth of its run (bench/RESULTS.md). Each command's
// layers stay a separate chunk, loaded only when that command runs. The library (dist/src) and
// the tests are tsc's output, untouched by this.
import { rm } from "node:fs/promises";
import { build } from "esbuild";

const outdir = "dist/cli";
await rm(outdir, { recursive: true, force: true });
await build({
  // A file started by URL (a worker) would need an entry point of its own here; none is today.
  entryPoints: [{ in: "src/cli/main.ts", out: "main" }],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // commander is on every run's path, so it is bundled too, and yaml, which every scan loads:
  // bundled, a scan starts about 30 ms of CPU sooner than loading its ~80 CommonJS files from
  // node_modules (bench/RESULTS.md). The other dependencies load with the command that needs
  // them, from node_modules.
  external: ["tar", "semver", "cli-progress", "ignore", "diff"],
  // commander is CommonJS: its require() calls of Node's built-ins need a require in ESM chunks.
  banner: {
    js: 'import { createRequire as __crossdockRequire } from "node:module"; const require = __crossdockRequire(import.meta.url);',
  },
  logLevel: "warning",
});
