import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { UsageError } from "../../errors.js";
import type { MappingRule } from "../../reference/mapping.js";
import { addLogins, grantPackagesWrite } from "./job-access.js";
import { findPublishedNames } from "./publish-steps.js";
import { labelBuildPushSteps, labelDockerBuilds } from "./source-label.js";
import { pairOf, stringOf, type TextSplice } from "./yaml-text.js";

/** A workflow file that is not valid YAML: `crossdock ci github` writes nothing (exit 2). */
export class WorkflowError extends UsageError {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`, { code: "WORKFLOW_INVALID" });
  }
}

/** What patching one workflow changes. */
export interface WorkflowPatch {
  /** The splices of the file's text, in order; none when the workflow publishes nothing mapped or is already patched. */
  readonly splices: readonly TextSplice[];
  /** One line a change, for people (`job publish: logs in to ghcr.io`). */
  readonly changes: readonly string[];
  /** What is left to do by hand, and why. */
  readonly notes: readonly string[];
  /** The jobs that publish a mapped image, patched now or before. */
  readonly publishingJobs: readonly string[];
}

/**
 * Plans the splices that make a workflow publish to the mapped targets as well as to the sources
 * (the parallel phase), job by job: for every job whose steps push a name the rules map, the target
 * beside each source name (docker/metadata-action `images:`, docker/build-push-action `tags:`,
 * `docker push` lines), a docker/login-action step for each target registry, `packages: write`, and
 * the `org.opencontainers.image.source` label. Pure; a patched workflow gets no more splices.
 * YAML the parser rejects throws a WorkflowError naming the file and line.
 */
export function patchWorkflow(file: string, text: string, rules: readonly MappingRule[]): WorkflowPatch {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) throw new WorkflowError(file, lines.linePos(error.pos[0]).line, error.message.split("\n")[0]!);
  const workflow = doc.contents;
  const jobs = isMap(workflow) ? pairOf(workflow, "jobs")?.value : undefined;
  if (!isMap(workflow) || !isMap(jobs)) return { splices: [], changes: [], notes: [], publishingJobs: [] };
  const splices: TextSplice[] = [];
  const changes: string[] = [];
  const notes: string[] = [];
  const publishingJobs: string[] = [];
  for (const pair of jobs.items) {
    const name = stringOf(pair.key) ?? "?";
    const job = pair.value;
    const stepsNode = isMap(job) ? pairOf(job, "steps")?.value : undefined;
    if (!isMap(job) || !isSeq(stepsNode)) continue;
    const steps = stepsNode.items.filter((s): s is YAMLMap => isMap(s));
    const where = `${file}: job ${name}`;
    const published = findPublishedNames(text, steps, rules, where);
    notes.push(...published.notes);
    if (!published.firstPublisher) continue;
    publishingJobs.push(name);
    const targetHosts = published.names.map((n) => n.targetHost);
    const logins = addLogins(text, steps, published.firstPublisher, targetHosts);
    const permissions = grantPackagesWrite(text, workflow, job);
    const labels = [
      ...labelBuildPushSteps(text, published.buildPushSteps, steps),
      ...(published.dockerPush ? labelDockerBuilds(text, steps) : []),
    ];
    splices.push(...published.splices, ...logins.splices, ...permissions, ...labels);
    if (published.splices.length > 0)
      changes.push(`job ${name}: publishes ${[...new Set(published.names.map((n) => n.target))].join(", ")}`);
    if (logins.added.length > 0) changes.push(`job ${name}: logs in to ${logins.added.join(", ")}`);
    if (permissions.length > 0) changes.push(`job ${name}: permissions: packages: write`);
    if (labels.length > 0) changes.push(`job ${name}: labels its images org.opencontainers.image.source`);
  }
  // A stable sort: two insertions at one offset keep the order they were planned in.
  return { splices: splices.sort((a, b) => a.start - b.start), changes, notes, publishingJobs };
}
