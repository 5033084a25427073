import { Command, CommanderError } from "commander";
import { CrossdockError, UsageError } from "../errors.js";
import { version } from "../version.js";
import { endQuietlyOnClosedPipe } from "./closed-pipe.js";
import { registerCiCommand } from "./commands/ci.js";
import { registerCompletionCommand } from "./commands/completion.js";
import { registerCopyCommand } from "./commands/copy.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerInitCommand } from "./commands/init.js";
import { registerInspectCommand } from "./commands/inspect.js";
import { registerLockCommand } from "./commands/lock.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerRefCommands } from "./commands/ref.js";
import { registerRewriteCommand } from "./commands/rewrite.js";
import { registerRollbackCommand } from "./commands/rollback.js";
import { registerScanCommand } from "./commands/scan.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerSyncCommand } from "./commands/sync.js";
import { registerTagsCommand } from "./commands/tags.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { ExitCode } from "./exit-code.js";
import { formatError, jsonError } from "./format-error.js";
import { InterruptedError } from "./interrupt.js";
import { writeJson } from "./output.js";

/** Builds the command tree. Each command file only wires flags to a library call. */
export function buildProgram(): Command {
  const program = new Command("crossdock")
    .description(
      "Move a project's container images between OCI registries, byte for byte, and rewrite every reference.",
    )
    .version(version, "--version", "print crossdock's version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerRefCommands(program);
  for (const register of extraCommands) register(program);
  return program;
}

/** Commands registered by later layers (kept as a list so main.ts stays a table of contents). */
const extraCommands: Array<(program: Command) => void> = [
  registerInspectCommand,
  registerTagsCommand,
  registerCopyCommand,
  registerSyncCommand,
  registerLockCommand,
  registerCiCommand,
  registerServeCommand,
  registerInitCommand,
  registerScanCommand,
  registerRewriteCommand,
  registerMigrateCommand,
  registerVerifyCommand,
  registerRollbackCommand,
  registerStatusCommand,
  registerDoctorCommand,
  registerDemoCommand,
  registerCompletionCommand,
];

/**
 * Runs the CLI and returns the exit code: 0 success, 1 something failed, 2 bad usage or input,
 * 130 interrupted (SIGINT/SIGTERM). Errors become one line on stderr, never a stack trace (set
 * CROSSDOCK_DEBUG=1 for one); a reader that closes stdout early ends the run quietly.
 */
export async function main(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
      ) {
        return ExitCode.ok;
      }
      return ExitCode.usage;
    }
    process.stderr.write(`crossdock: ${formatError(error)}\n`);
    // A script that reads --json gets the failure as JSON too, with its stable code (README "Error codes").
    if (argv.includes("--json")) writeJson({ error: jsonError(error) });
    if (process.env["CROSSDOCK_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    if (error instanceof UsageError) return ExitCode.usage;
    if (error instanceof InterruptedError) return ExitCode.interrupted;
    if (error instanceof CrossdockError || error instanceof Error) return ExitCode.failure;
    return ExitCode.failure;
  }
}
