import { UsageError } from "../../errors.js";
import { migrate } from "../../migrate/migrate.js";
import { ExitCode } from "../exit-code.js";
import { runInterruptible } from "../interrupt.js";
import { writeJson } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
import { ProgressDisplay } from "../progress.js";
import { loadProjectSettings } from "../project-settings.js";
import { createAnonymousClient, createClient } from "../registry-options.js";

/** The flags of `crossdock migrate` (see commands/migrate.ts for their meaning). */
export interface MigrateFlags {
  map?: string[];
  config?: string;
  allTags?: boolean;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  jobs?: string;
  report?: string;
  insecureRegistry?: string[];
}

/** Runs `crossdock migrate [DIR]` once its flags are parsed: the library's migrate, its report printed. */
export async function runMigrate(dir: string, flags: MigrateFlags): Promise<void> {
  const settings = await loadProjectSettings(dir, flags);
  if (settings.rules.length === 0)
    throw new UsageError("no mapping: give --map FROM=TO or a crossdock.yaml with mappings");
  const jobs = flags.jobs !== undefined ? parsePositiveInteger("--jobs", flags.jobs) : undefined;
  const client = createClient(flags, settings.config);
  const anonymousClient = createAnonymousClient(flags, settings.config);
  const quiet = flags.quiet === true || flags.json === true;
  const progress = new ProgressDisplay({ quiet });
  try {
    const { report, lockFile, reportFile, ...result } = await runInterruptible((signal) =>
      migrate({
        dir,
        rules: flags.map ? settings.rules.slice(0, flags.map.length) : [],
        ...(settings.config ? { config: settings.config } : {}),
        client,
        anonymousClient,
        ...(flags.allTags ? { allTags: true } : {}),
        ...(flags.dryRun ? { dryRun: true } : {}),
        ...(jobs !== undefined ? { jobs } : {}),
        ...(flags.report ? { reportFile: flags.report } : {}),
        onEvent: progress.onEvent,
        onStep: (message) => quiet || process.stderr.write(`crossdock: ${message}\n`),
        signal,
      }),
    );
    progress.stop();
    const { ok, copies, filesChanged, edits, failures, verify } = result;
    const { staleLogins } = result;
    if (flags.json)
      writeJson({ ok, copies, filesChanged, edits, failures, lockFile, reportFile, verify, staleLogins });
    else process.stdout.write(lockFile ? `${report}wrote ${lockFile} and ${reportFile}\n` : report);
    if (!result.ok) process.exitCode = ExitCode.failure;
  } finally {
    progress.stop();
    await Promise.all([client.close(), anonymousClient.close()]);
  }
}
