import { spawn } from "node:child_process";
import { cliPath } from "./paths.js";

/** How a CLI child process ended, with everything it printed. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI; `onStderr` sees stderr as it arrives (to signal the child at the right moment),
 * `onStdout` stdout (to close it early).
 */
export function spawnCli(
  args: readonly string[],
  hooks: {
    onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
    closeStdoutAfter?: number;
    /** Variables added to the child's environment. */
    env?: Record<string, string>;
  } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, CI: "true", CROSSDOCK_DEBUG: "", ...hooks.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (hooks.closeStdoutAfter !== undefined && stdout.length >= hooks.closeStdoutAfter)
        child.stdout.destroy();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      hooks.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
