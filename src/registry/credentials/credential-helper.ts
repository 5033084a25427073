import { spawn } from "node:child_process";
import { redactSecrets } from "../../redact-secrets.js";
import { CredentialHelperError } from "./errors.js";
import { hideSecret } from "./redact.js";
import { helperServerUrl } from "./registry-host.js";
import type { Credential } from "./types.js";

/** How to run a credential helper. */
export interface HelperOptions {
  /** The helper's environment; its `PATH` is where `docker-credential-<name>` is looked up. */
  readonly env: NodeJS.ProcessEnv;
  /** Kill the helper and fail after this long (a keychain prompt nobody answers must not hang a run). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** A helper's answer is a few hundred bytes; more than this is not the protocol. */
const outputCap = 1024 * 1024;

/**
 * Asks `docker-credential-<name> get` for a host's credential, per the docker-credential-helpers
 * protocol: the server URL on stdin (`https://index.docker.io/v1/` for Docker Hub, the bare host
 * otherwise, as docker asks), `{ServerURL, Username, Secret}` on stdout. User name `<token>` means the
 * secret is an identity token. Undefined when the helper answers "credentials not found" (exit 1 with
 * that text). A missing helper, a timeout, another failure or an answer that is not the JSON is a
 * `CredentialHelperError` naming the helper and host; the helper's stdout is never quoted.
 */
export async function runCredentialHelper(
  name: string,
  host: string,
  options: HelperOptions,
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  const fail = (message: string): CredentialHelperError =>
    new CredentialHelperError(program, host, `credential helper ${program} for ${host} ${message}`);
  options.signal?.throwIfAborted();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(program, ["get"], { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (
        error: unknown,
        result?: { code: number | null; stdout: string; stderr: string },
      ): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        if (error === undefined && result !== undefined) {
          resolve(result);
          return;
        }
        // A killed shell may leave a grandchild holding the pipes open: let go of them ourselves.
        child.kill("SIGKILL");
        child.stdout.destroy();
        child.stderr.destroy();
        child.stdin.destroy();
        reject(error);
      };
      const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
        size += chunk.length;
        if (size > outputCap)
          finish(fail(`wrote more than ${outputCap} bytes, which is not the helper protocol`));
        else chunks.push(chunk);
      };
      const timer = setTimeout(
        () => finish(fail(`did not answer within ${Math.round(options.timeoutMs / 100) / 10} s`)),
        options.timeoutMs,
      );
      const onAbort = (): void => finish(options.signal?.reason);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      child.on("error", (error: NodeJS.ErrnoException) => {
        finish(
          error.code === "ENOENT"
            ? fail("is not installed: no such program on PATH")
            : fail(`could not be started (${error.code ?? error.message})`),
        );
      });
      child.stdout.on("data", collect(out));
      child.stderr.on("data", collect(err));
      // The helper may exit without reading stdin; a broken pipe then is not our error.
      child.stdin.on("error", () => {});
      child.stdin.end(helperServerUrl(host));
      child.on("close", (exitCode) => {
        finish(undefined, {
          code: exitCode,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      });
    },
  );
  if (code !== 0) {
    const text = `${stdout}\n${stderr}`;
    if (/credentials not found/i.test(text)) return undefined;
    // stdout is quoted only when it is not JSON: a failing helper's JSON might hold a secret.
    const line = firstLine(stderr) ?? (stdout.trimStart().startsWith("{") ? undefined : firstLine(stdout));
    return Promise.reject(
      fail(`failed (exit code ${code ?? "none: killed"})${line === undefined ? "" : `: ${line}`}`),
    );
  }
  return parseAnswer(stdout, fail);
}

function parseAnswer(
  stdout: string,
  fail: (message: string) => CredentialHelperError,
): Credential | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw fail('answered with output that is not JSON {"ServerURL","Username","Secret"}');
  }
  if (typeof answer !== "object" || answer === null) throw fail("answered with JSON that is not an object");
  const { Username: username = "", Secret: secret } = answer as { Username?: unknown; Secret?: unknown };
  if (typeof username !== "string" || typeof secret !== "string") {
    throw fail('answered without the string fields "Username" and "Secret"');
  }
  if (secret === "") return undefined;
  if (username === "<token>") return hideSecret({ kind: "identity-token", token: secret });
  return hideSecret({ kind: "basic", username, password: secret });
}

/**
 * The first non-empty line of a failing helper's output, capped, to say what went wrong
 * (`gpg: decryption failed`). Only read when the helper failed, and redacted: a helper may echo a secret.
 */
function firstLine(text: string): string | undefined {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  if (line === undefined) return undefined;
  const safe = redactSecrets(line);
  return safe.length > 200 ? `${safe.slice(0, 200)}...` : safe;
}
