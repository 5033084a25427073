import { spawn } from "node:child_process";

/** What one finished process cost, as the operating system counted it. */
export interface Measured {
  readonly seconds: number;
  /** User plus system CPU time: less disturbed than wall time by other work on a shared machine. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/**
 * Runs a command under /usr/bin/time to get wall time, CPU time and peak RSS (the same for every
 * tool measured); an exit code outside `okCodes` throws with the end of its stderr.
 */
export async function measure(command: string, args: readonly string[], okCodes = [0]): Promise<Measured> {
  const started = process.hrtime.bigint();
  const child = spawn("/usr/bin/time", ["-f", "%U %S %M", command, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-16_000);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code === null || !okCodes.includes(code))
    throw new Error(`${command} ${args.slice(0, 8).join(" ")} exited ${code}:\n${stderr}`);
  const [user, system, kb] = (stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
  return { seconds, cpuSeconds: (user ?? 0) + (system ?? 0), peakRssMb: (kb ?? 0) / 1024 };
}
