import { readFile } from "node:fs/promises";
import { digestOfPlan, parseSyncPlan } from "../../copy/plan-file.js";
import { UsageError } from "../../errors.js";
import { checkRunId, runIdOfPlan } from "../../migrate/result-artifact.js";
import type { RegistryClient } from "../../registry/client.js";
import { version } from "../../version.js";
import { pinImage } from "../pin-image.js";
import { formatManifests, shardedSyncJob } from "./sharded-job.js";

/** Options of generateKubernetesSync (`crossdock ci kubernetes`). */
export interface GenerateKubernetesSyncOptions {
  readonly client: RegistryClient;
  readonly shards: number;
  readonly parallelism?: number;
  /** The plan file (`sync --plan-out`) the shards divide. */
  readonly planFile: string;
  /** crossdock.yaml to ship beside the plan, if any. */
  readonly configFile?: string;
  /** crossdock's image: `REPO@sha256:...`, or `REPO[:TAG]` resolved to a digest (pinImage). */
  readonly image: string;
  /** Where results are pushed; default `crossdock-results` under the plan's first target prefix. */
  readonly resultRepository?: string;
  /** Default: from the plan's digest, as the shards would name it (runIdOfPlan). */
  readonly runId?: string;
  readonly name?: string;
  readonly secretName?: string;
  readonly signal?: AbortSignal;
}

/**
 * A ConfigMap's whole data may not pass 1 MiB (etcd's object limit); a bigger plan cannot ride in one.
 * https://kubernetes.io/docs/concepts/configuration/configmap/#motivation
 */
const configMapLimit = 1024 * 1024;

/**
 * `crossdock ci kubernetes`: reads the plan (and crossdock.yaml), pins the image, and returns the
 * YAML of the ConfigMap, the Indexed Job and the merge Job (shardedSyncJob). Bad input (no plan,
 * a plan too big for a ConfigMap, an image with no digest to be had) is a UsageError.
 */
export async function generateKubernetesSync(options: GenerateKubernetesSyncOptions): Promise<string> {
  const plan = await readInput("--plan", options.planFile);
  const parsed = parseSyncPlan(plan, options.planFile);
  const config =
    options.configFile === undefined ? undefined : await readInput("--config", options.configFile);
  const size = Buffer.byteLength(plan) + Buffer.byteLength(config ?? "");
  if (size > configMapLimit)
    throw new UsageError(
      `--plan ${options.planFile}: ${size} bytes with crossdock.yaml, more than a ConfigMap holds (1 MiB); split the mappings into several plans`,
    );
  const target = parsed.mappings[0]?.to;
  const resultRepository =
    options.resultRepository ??
    (target?.kind === "registry" ? `${target.prefix.text}/crossdock-results` : undefined);
  if (resultRepository === undefined)
    throw new UsageError("--results REPO: the plan's target is no registry, so name where results go");
  const runId =
    options.runId === undefined ? runIdOfPlan(digestOfPlan(parsed)) : checkRunId(options.runId, "--run-id");
  const image = await pinImage(options.client, options.image, version, options.signal);
  return formatManifests(
    shardedSyncJob({
      shards: options.shards,
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      image,
      plan,
      ...(config !== undefined ? { config } : {}),
      resultRepository,
      runId,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.secretName !== undefined ? { secretName: options.secretName } : {}),
    }),
  );
}

async function readInput(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`, {
      cause: error,
    });
  }
}
