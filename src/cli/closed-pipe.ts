/**
 * Ends the process quietly (exit 0) when the reader of stdout goes away (`crossdock scan --json |
 * head`): the output is not wanted any more, which is no error, and certainly no stack trace.
 * Node ignores SIGPIPE and reports the closed pipe as an EPIPE `error` event on the stream.
 * https://nodejs.org/api/process.html#signal-events
 */
export function endQuietlyOnClosedPipe(): void {
  if (!process.stdout.listeners("error").includes(onStdoutError)) process.stdout.on("error", onStdoutError);
  if (!process.stderr.listeners("error").includes(onStderrError)) process.stderr.on("error", onStderrError);
}

function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
}

/** Progress and diagnostics go to stderr: losing them must not stop the work. */
function onStderrError(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}
