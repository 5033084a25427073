import { existsSync } from "node:fs";
import { unpublishedFile, unpublishedImage } from "./sample-repo.js";

/** The parts of a migration's result the demo judges (a MigrateResult has them all). */
export interface MigrationFacts {
  readonly ok: boolean;
  readonly lockFile?: string;
  readonly report: string;
  readonly filesChanged: number;
  readonly edits: number;
  readonly failures: readonly string[];
}

/** The demo's verdict on a migration. */
export interface DemoVerdict {
  /** Everything went as the demo expects: all moved, only the unpublished tag failed, and it was named. */
  readonly ok: boolean;
  /** What was not as expected, in plain words (empty when ok). */
  readonly problems: readonly string[];
}

/**
 * Judges the migration by the demo's own expectations. The migration is not `ok` by design: the
 * notebook pins `demo/pytorch-mnist:v0.12.0`, which nobody ever published, and verify must catch
 * it. So the demo worked when every failure is about that tag (at least one is), the report names
 * the tag and its file, files were rewritten, and crossdock.lock was written.
 */
export function judgeMigration(result: MigrationFacts): DemoVerdict {
  const problems: string[] = [];
  const tagText = `${unpublishedImage.repository}:${unpublishedImage.tag}`;
  // By its last name component: a message may name the source or the target repository.
  const basename = unpublishedImage.repository.slice(unpublishedImage.repository.lastIndexOf("/") + 1);
  const aboutUnpublished = (text: string): boolean =>
    text.includes(basename) && text.includes(unpublishedImage.tag);
  if (result.ok)
    problems.push(`the migration reported success, but ${tagText} was never published: verify missed it`);
  else if (!result.failures.some(aboutUnpublished))
    problems.push(`no failure names the never-published ${tagText}`);
  for (const failure of result.failures) {
    if (!aboutUnpublished(failure)) problems.push(`unexpected failure: ${failure}`);
  }
  if (!result.report.includes(unpublishedImage.tag) || !result.report.includes(unpublishedFile)) {
    problems.push(`the report does not name ${tagText} with the file that pins it (${unpublishedFile})`);
  }
  if (result.filesChanged === 0 || result.edits === 0) problems.push("no file was rewritten");
  if (result.lockFile === undefined || !existsSync(result.lockFile))
    problems.push("no crossdock.lock was written");
  return { ok: problems.length === 0, problems };
}
