import { spawn } from "node:child_process";
import { cliPath } from "./paths.js";

/** A `crossdock serve` process started by startServeProcess. */
export interface ServeProcess {
  /** `http://HOST:PORT`, from its "listening on" line. */
  readonly url: string;
  /** What it printed to stderr so far (the access log, unless --quiet). */
  readonly stderr: () => string;
  /** Its exit code once it exits (null when killed by a signal). */
  readonly exit: Promise<number | null>;
  /** Whether it is still running. */
  readonly running: () => boolean;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `crossdock serve ARGS...` as a user would (the built CLI in a child process) and waits
 * for its "listening on" line; rejects when it exits first or prints none within 10 s.
 */
export async function startServeProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, "serve", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited = false;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exit = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no "listening on" line within 10 s; stderr: ${stderr}`));
    }, 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const match = /^crossdock serve: listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening; stderr: ${stderr}`));
    });
  });
  return { url, stderr: () => stderr, exit, running: () => !exited, kill: (signal) => child.kill(signal) };
}
