import { applyGithubCi, formatGithubCiDiff, planGithubCi } from "../../ci/github/github-ci.js";
import { shardedSyncWorkflow } from "../../ci/github/sharded-sync-workflow.js";
import { generateKubernetesSync } from "../../ci/kubernetes/generate.js";
import { UsageError } from "../../errors.js";
import { writeFileAtomically } from "../../files/atomic-write.js";
import { version } from "../../version.js";
import { writeJson, writeLine, writeText } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
import { loadProjectSettings } from "../project-settings.js";
import type { RegistryFlags } from "../registry-flags.js";
import { createClient } from "../registry-options.js";
import { checkOutputFile, loadConfigIfAny } from "./sync-plan-files.js";

/** The flags of `crossdock ci kubernetes` (see commands/ci.ts). */
export interface CiKubernetesFlags extends RegistryFlags {
  shards: string;
  parallelism?: string;
  plan: string;
  config?: string;
  image?: string;
  results?: string;
  runId?: string;
  name?: string;
  secret?: string;
  out?: string;
}

/** The flags of `crossdock ci github`: the publishing patch, or with `--shards` the sharded sync workflow. */
export interface CiGithubFlags {
  write?: boolean;
  json?: boolean;
  config?: string;
  action?: string;
  shards?: string;
  parallelism?: string;
  pullRequest?: boolean;
  out?: string;
}

/** `crossdock ci kubernetes`: every flag checked before the one request (the image's HEAD). */
export async function runCiKubernetes(flags: CiKubernetesFlags): Promise<void> {
  const shards = parsePositiveInteger("--shards", flags.shards);
  const parallelism =
    flags.parallelism === undefined ? undefined : parsePositiveInteger("--parallelism", flags.parallelism);
  const image = flags.image ?? (process.env["CROSSDOCK_IMAGE"] || undefined);
  if (image === undefined)
    throw new UsageError(
      "--image: name crossdock's image (ghcr.io/OWNER/crossdock, what the release workflow pushes; pinned by digest) or set CROSSDOCK_IMAGE",
    );
  if (flags.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(flags.name))
    throw new UsageError(`--name ${flags.name}: a Kubernetes name (a-z, 0-9, -; at most 52 characters)`);
  await checkOutputFile("--out", flags.out);
  // Read (and checked) here: a crossdock.yaml with a mistake fails now, not in every pod.
  const configFile = (await loadConfigIfAny(flags.config))?.file;
  const client = createClient(flags);
  try {
    const yaml = await generateKubernetesSync({
      client,
      shards,
      ...(parallelism !== undefined ? { parallelism } : {}),
      planFile: flags.plan,
      ...(configFile !== undefined ? { configFile } : {}),
      image,
      ...(flags.results !== undefined ? { resultRepository: flags.results } : {}),
      ...(flags.runId !== undefined ? { runId: flags.runId } : {}),
      ...(flags.name !== undefined ? { name: flags.name } : {}),
      ...(flags.secret !== undefined ? { secretName: flags.secret } : {}),
    });
    await writeOut(flags.out, yaml);
  } finally {
    await client.close();
  }
}

/** `crossdock ci github [DIR]`: the publishing workflows patched to push to the target too, or with `--shards` the sharded sync workflow. */
export async function runCiGithub(dir: string, flags: CiGithubFlags): Promise<void> {
  if (flags.shards !== undefined) return await runShardedWorkflow(flags.shards, flags);
  for (const only of ["parallelism", "pullRequest", "out"] as const)
    if (flags[only] !== undefined)
      throw new UsageError(`--${only === "pullRequest" ? "pull-request" : only} needs --shards`);
  const { config } = await loadProjectSettings(dir, flags);
  if (!config || config.rules.length === 0)
    throw new UsageError(
      `${dir}: no crossdock.yaml with mappings (ci github reads them; see crossdock init)`,
    );
  const plan = await planGithubCi({
    dir,
    rules: config.rules,
    ...(flags.action ? { actionRef: flags.action } : {}),
  });
  const written = flags.write ? await applyGithubCi(plan) : [];
  if (flags.json) return writeJson({ files: plan.files, notes: plan.notes, written });
  if (!flags.write) writeText(formatGithubCiDiff(plan));
  for (const f of plan.files)
    for (const change of f.changes)
      writeLine(`${flags.write ? "" : "would "}${f.created ? "create" : "patch"} ${f.file}: ${change}`);
  for (const note of plan.notes) writeLine(`note: ${note}`);
  if (plan.files.length === 0) writeLine("nothing to change");
  else if (!flags.write) writeLine("dry run: nothing written (add --write to apply)");
}

/** `crossdock ci github --shards N`: the sharded sync workflow. */
async function runShardedWorkflow(shardsFlag: string, flags: CiGithubFlags): Promise<void> {
  if (flags.write || flags.json || flags.action !== undefined)
    throw new UsageError(
      "--shards writes the sharded sync workflow to --out or stdout: drop --write, --json and --action",
    );
  const shards = parsePositiveInteger("--shards", shardsFlag);
  const parallelism =
    flags.parallelism === undefined ? undefined : parsePositiveInteger("--parallelism", flags.parallelism);
  await checkOutputFile("--out", flags.out);
  await writeOut(
    flags.out,
    shardedSyncWorkflow({
      shards,
      version,
      ...(parallelism !== undefined ? { parallelism } : {}),
      ...(flags.pullRequest ? { pullRequest: true } : {}),
    }),
  );
}

async function writeOut(file: string | undefined, text: string): Promise<void> {
  if (file === undefined) writeText(text);
  else await writeFileAtomically(file, text);
}
