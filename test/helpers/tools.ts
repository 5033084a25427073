import { execFileSync } from "node:child_process";

/** The Debian packages that provide each external tool the tests use. */
const installHint: Record<string, string> = {
  "docker-registry": "apt-get install -y docker-registry",
  skopeo: "apt-get install -y skopeo",
  openssl: "apt-get install -y openssl",
  zsh: "apt-get install -y zsh",
  fish: "apt-get install -y fish",
};

const found = new Map<string, boolean>();

/** Whether a program is on PATH. */
export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    try {
      execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
      ok = true;
    } catch {
      ok = false;
    }
    found.set(name, ok);
  }
  return ok;
}

/**
 * For `test(name, { skip: skipUnless("skopeo") }, ...)`: false when the tool is there; otherwise a
 * one-line reason with the install command. Under CI (CI=true) nothing may be skipped: a missing
 * tool throws, so the run fails.
 */
export function skipUnless(...tools: string[]): string | false {
  const missing = tools.filter((tool) => !hasTool(tool));
  if (missing.length === 0) return false;
  const hint = missing.map((tool) => installHint[tool] ?? tool).join(" && ");
  if (process.env["CI"] === "true") throw new Error(`CI needs ${missing.join(", ")}: ${hint}`);
  return `needs ${missing.join(", ")} (install: ${hint})`;
}
