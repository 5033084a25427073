import { UsageError } from "../../errors.js";
import { checkRunId, pushSyncResult, runIdOfResult } from "../../migrate/result-artifact.js";
import type { SyncResult } from "../../migrate/sync-result.js";
import { parseReference, type Reference } from "../../reference/reference.js";
import type { RegistryClient } from "../../registry/client.js";

/** Where `sync --result-push` pushes the result, and under which run (checked before any request). */
export interface ResultPushTarget {
  readonly repository: Reference;
  readonly runId?: string;
}

/**
 * `--result-push REPO` and `--run-id ID` (or CROSSDOCK_RUN_ID): a repository without tag or digest,
 * and a run id that can be part of a tag; anything else is a UsageError (exit 2, nothing sent).
 */
export function resultPushTarget(
  flags: { resultPush?: string; runId?: string },
  env: NodeJS.ProcessEnv,
): ResultPushTarget | undefined {
  const given = flags.runId ?? (env["CROSSDOCK_RUN_ID"] || undefined);
  const runId =
    given === undefined
      ? undefined
      : checkRunId(given, flags.runId !== undefined ? "--run-id" : "CROSSDOCK_RUN_ID");
  if (flags.resultPush === undefined) {
    if (flags.runId !== undefined) throw new UsageError("--run-id names the run of --result-push: give both");
    return undefined;
  }
  const repository = parseRepository("--result-push", flags.resultPush);
  return { repository, ...(runId !== undefined ? { runId } : {}) };
}

/** A repository named by a flag (`host/path`, no tag or digest), or a UsageError naming the flag. */
export function parseRepository(flag: string, text: string): Reference {
  let repository: Reference;
  try {
    repository = parseReference(text);
  } catch (error) {
    throw new UsageError(`${flag} ${text}: ${(error as Error).message}`, { cause: error });
  }
  if (repository.tag !== undefined || repository.digest !== undefined)
    throw new UsageError(`${flag} ${text}: name a repository, without tag or digest`);
  return repository;
}

/** Pushes the result after the run; a run of no plan needs --run-id (nothing else names its run). */
export async function pushResult(
  client: RegistryClient,
  target: ResultPushTarget,
  result: SyncResult,
  quiet: boolean,
): Promise<void> {
  const runId = target.runId ?? runIdOfResult(result);
  if (runId === undefined)
    throw new UsageError("--result-push: this run had no plan to name it; give --run-id ID");
  const pushed = await pushSyncResult(client, target.repository, runId, result);
  if (!quiet) process.stderr.write(`crossdock: result pushed to ${pushed}\n`);
}
