import { execFile } from "node:child_process";
import { cliPath } from "./paths.js";

/** What a CLI run printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/crossdock.js as a user would (a child process) and waits for it to end. */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd, env: { ...process.env, CROSSDOCK_DEBUG: "" }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? error.code : 0;
        if (typeof code !== "number") reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}
