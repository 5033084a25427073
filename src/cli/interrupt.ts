import { setMaxListeners } from "node:events";
import { CrossdockError } from "../errors.js";
import { ExitCode } from "./exit-code.js";

/** The run was stopped by SIGINT or SIGTERM: the CLI exits 130, as shells report a Ctrl-C. */
export class InterruptedError extends CrossdockError {
  constructor(signal: string) {
    super(
      "INTERRUPTED",
      `interrupted (${signal}): nothing new was started; rerun the same command to continue`,
    );
  }
}

/**
 * Runs `work` with an AbortSignal that SIGINT and SIGTERM abort: the library stops starting
 * work, settles what is in flight (a tag is written last, so an image cut short has none) and
 * removes its temp files; the command prints what is pending and the exit code is 130. A second
 * signal exits at once: the invariants hold even then (DESIGN.md), only the summary is lost.
 */
export async function runInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Every request in flight listens to this one signal (a sync runs dozens at once): past Node's
  // default of 10 listeners that is no leak, so no warning.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    process.stderr.write(`crossdock: ${name}: finishing what is in flight (again to stop at once)\n`);
    controller.abort(new InterruptedError(name));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await work(controller.signal);
    if (controller.signal.aborted) process.exitCode = ExitCode.interrupted;
    return result;
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
