// `npm run check`'s package lint: packs the tarball exactly as `npm pack` does (without its build:
// the check reads what the last build left in dist/) and runs publint and @arethetypeswrong/cli on
// it, so the exports, types and bin are checked as an ESM consumer meets them.
// https://publint.dev/rules  https://github.com/arethetypeswrong/arethetypeswrong.github.io
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

if (!existsSync("dist/src/index.js") || !existsSync("dist/cli/main.js")) {
  console.error("check-package: dist/ is missing or incomplete: run `npm run build` first");
  process.exit(2);
}
const out = mkdtempSync(path.join(tmpdir(), "crossdock-pack-"));
try {
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarball = path.join(out, JSON.parse(packed)[0].filename);
  const bin = (name) => path.join("node_modules", ".bin", name);
  execFileSync(bin("publint"), ["run", "--strict", tarball], { stdio: "inherit" });
  // esm-only: crossdock is an ES module package; a CommonJS require() of it is not supported.
  execFileSync(bin("attw"), [tarball, "--profile", "esm-only", "--no-emoji", "--no-color"], {
    stdio: "inherit",
  });
} finally {
  rmSync(out, { recursive: true, force: true });
}
