import type { ShardSpec } from "../copy/plan-share.js";
import { parseShard } from "../copy/shares.js";
import { UsageError } from "../errors.js";

/**
 * Which shard this run is, from `--shard I/N`, else from where a runner sets it: `CROSSDOCK_SHARD=I/N`
 * (a GitHub Actions matrix), or `JOB_COMPLETION_INDEX` (set by a Kubernetes Indexed Job on each pod,
 * https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode) with
 * `CROSSDOCK_SHARDS=N` (the Job's completions, set by the Job's manifest). `JOB_COMPLETION_INDEX`
 * alone says nothing: any Indexed Job sets it, and only `CROSSDOCK_SHARDS` says crossdock is sharded.
 * Undefined when none is set; malformed values are UsageErrors naming the variable.
 */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv): ShardSpec | undefined {
  if (flag !== undefined) return parseAs("--shard", flag);
  const shard = env["CROSSDOCK_SHARD"];
  if (shard !== undefined && shard !== "") return parseAs("CROSSDOCK_SHARD", shard);
  const count = env["CROSSDOCK_SHARDS"];
  if (count === undefined || count === "") return undefined;
  const index = env["JOB_COMPLETION_INDEX"];
  if (index === undefined || index === "")
    throw new UsageError(
      `CROSSDOCK_SHARDS=${count} is set but JOB_COMPLETION_INDEX is not: set both (an Indexed Job sets the index) or give --shard I/N`,
    );
  return parseAs(`JOB_COMPLETION_INDEX=${index} with CROSSDOCK_SHARDS`, `${index}/${count}`);
}

function parseAs(name: string, text: string): ShardSpec {
  try {
    return parseShard(text);
  } catch {
    // The flag's own words replace parseShard's: its message would only say the same again.
    throw new UsageError(`${name}=${text}: expected I/N with 0 ≤ I < N (for example 0/4)`);
  }
}
