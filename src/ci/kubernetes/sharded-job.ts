import { stringify } from "yaml";

/** Options of shardedSyncJob: what the generated objects run, and where. */
export interface ShardedSyncJobOptions {
  /** Shards (the Indexed Job's completions): share I of N runs on the pod with index I. */
  readonly shards: number;
  /** Pods at once; default min(shards, 4) (one Docker Hub account's budget is shared by all of them). */
  readonly parallelism?: number;
  /** crossdock's container image, pinned by digest (`REPO[:TAG]@sha256:...`). */
  readonly image: string;
  /** The plan (`sync --plan-out`), as text: shipped in the ConfigMap. */
  readonly plan: string;
  /** crossdock.yaml as text (credentials' variables, insecure registries), shipped beside the plan. */
  readonly config?: string;
  /** The repository the shards push their results to (`sync --result-push`) and the merge reads. */
  readonly resultRepository: string;
  /** The run id naming the results' tags (`result-RUN-I-of-N`). */
  readonly runId: string;
  /** Name of the Job, and the prefix of the ConfigMap's and the merge Job's names; default crossdock-sync. */
  readonly name?: string;
  /** The `kubernetes.io/dockerconfigjson` Secret with the registries' credentials; default crossdock-registry-auth. */
  readonly secretName?: string;
}

/** Where the pods find the ConfigMap (plan, crossdock.yaml) and the Secret (config.json). */
export const mountPaths = { files: "/etc/crossdock/files", dockerConfig: "/etc/crossdock/docker" } as const;

/**
 * Memory per shard. A shard streams blobs (no image is held in memory). Measured peak RSS: 106 and
 * 113 MB for the two shards of a 500-tag plan (bench/shard-memory.ts, 250 two-platform images
 * each), 92-145 MB copying one 1 GB layer (bench/RESULTS.md, the sync benchmark). The request is
 * that peak with a third more; the limit leaves room for bigger plans and layers before the pod is killed.
 */
const memory = { request: "192Mi", limit: "512Mi" } as const;

/**
 * Retries per index before that shard is failed. A retry is a rerun: a tag is written last, so
 * what a killed pod left is never tagged half-copied, and the rerun finishes it.
 */
const backoffLimitPerIndex = 3;

/** Exit code 2: bad usage or input. Retrying cannot fix it, so the pod failure policy fails the index at once. */
const usageExitCode = 2;

/**
 * The objects that run a sharded sync on Kubernetes: a ConfigMap with the plan (and crossdock.yaml),
 * an Indexed Job whose pod I runs share I of N (`JOB_COMPLETION_INDEX`, set by Kubernetes, with
 * `CROSSDOCK_SHARDS`) and pushes its result as an OCI artifact, and a merge Job, created
 * suspended, that reads those results back and prints the merged lock. Credentials come from a
 * `kubernetes.io/dockerconfigjson` Secret mounted as `$DOCKER_CONFIG/config.json` (the Secret's key
 * is `.dockerconfigjson`; Docker's file is `config.json`). Pure: the caller validates and prints.
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export function shardedSyncJob(options: ShardedSyncJobOptions): Record<string, unknown>[] {
  const name = options.name ?? "crossdock-sync";
  const secretName = options.secretName ?? "crossdock-registry-auth";
  const labels = { "app.kubernetes.io/name": "crossdock", "app.kubernetes.io/instance": name };
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, labels },
    data: {
      "plan.json": options.plan,
      ...(options.config !== undefined ? { "crossdock.yaml": options.config } : {}),
    },
  };
  const env = [
    { name: "CROSSDOCK_RUN_ID", value: options.runId },
    { name: "DOCKER_CONFIG", value: mountPaths.dockerConfig },
  ];
  const configArgs = options.config !== undefined ? ["--config", `${mountPaths.files}/crossdock.yaml`] : [];
  const shard = podTemplate(options.image, secretName, name, labels, {
    args: [
      "sync",
      "--plan",
      `${mountPaths.files}/plan.json`,
      ...configArgs,
      "--result-push",
      options.resultRepository,
      "--quiet",
    ],
    env: [{ name: "CROSSDOCK_SHARDS", value: String(options.shards) }, ...env],
  });
  const merge = podTemplate(options.image, secretName, name, labels, {
    args: ["lock", "merge", "--from-registry", options.resultRepository, "--lock", "-"],
    env,
  });
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, labels },
    spec: {
      completionMode: "Indexed",
      completions: options.shards,
      parallelism: options.parallelism ?? Math.min(options.shards, 4),
      backoffLimitPerIndex,
      podFailurePolicy: {
        rules: [
          {
            action: "FailIndex",
            onExitCodes: { containerName: "crossdock", operator: "In", values: [usageExitCode] },
          },
        ],
      },
      template: shard,
    },
  };
  const mergeJob = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: `${name}-merge`, labels },
    spec: {
      // Resumed once the shards' Job completes (kubectl wait, then kubectl patch): Jobs have no order of their own.
      suspend: true,
      completions: 1,
      backoffLimit: 2,
      // An incomplete run (exit 1) or bad input (exit 2) is not fixed by merging again.
      podFailurePolicy: {
        rules: [
          {
            action: "FailJob",
            onExitCodes: { containerName: "crossdock", operator: "In", values: [1, usageExitCode] },
          },
        ],
      },
      template: merge,
    },
  };
  return [configMap, job, mergeJob];
}

/** The pod both Jobs run: crossdock's image, the plan and the credentials mounted read-only, no privileges. */
function podTemplate(
  image: string,
  secretName: string,
  configMapName: string,
  labels: Record<string, string>,
  run: { args: string[]; env: { name: string; value: string }[] },
): Record<string, unknown> {
  return {
    metadata: { labels },
    spec: {
      // The pod failure policy and backoffLimitPerIndex need Never: a failed pod is replaced, not restarted.
      restartPolicy: "Never",
      // The image's user is `node` (uid 1000); a name cannot be checked against runAsNonRoot, a number can.
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
      containers: [
        {
          name: "crossdock",
          image,
          command: ["crossdock"],
          args: run.args,
          env: run.env,
          resources: {
            requests: { cpu: "250m", memory: memory.request },
            limits: { memory: memory.limit },
          },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          volumeMounts: [
            { name: "files", mountPath: mountPaths.files, readOnly: true },
            { name: "docker-config", mountPath: mountPaths.dockerConfig, readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: "files", configMap: { name: configMapName } },
        {
          name: "docker-config",
          secret: { secretName, items: [{ key: ".dockerconfigjson", path: "config.json" }] },
        },
      ],
    },
  };
}

/** Objects as one YAML stream (`kubectl apply -f`), documents separated by `---`. */
export function formatManifests(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}
