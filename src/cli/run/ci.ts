import { shardedSyncWorkflow } from "../../ci/github/sharded-sync-workflow.js";
import { generateKubernetesSync } from "../../ci/kubernetes/generate.js";
import { UsageError } from "../../errors.js";
import { writeFileAtomically } from "../../files/atomic-write.js";
import { version } from "../../version.js";
import { writeText } from "../output.js";
import { parsePositiveInteger } from "../parse-flags.js";
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

/** The flags of `crossdock ci github`. */
export interface CiGithubFlags {
  shards: string;
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

/** `crossdock ci github --shards N`: the sharded sync workflow. */
export async function runCiGithub(flags: CiGithubFlags): Promise<void> {
  const shards = parsePositiveInteger("--shards", flags.shards);
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
