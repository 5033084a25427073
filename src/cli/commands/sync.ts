import { type Command, Option } from "commander";
import { collectValues } from "../collect-values.js";
import { addRegistryOptions } from "../registry-flags.js";
import type { SyncFlags } from "../run/sync.js";

/** `crossdock sync --from PREFIX --to PREFIX ...`: every selected tag, incrementally. */
export function registerSyncCommand(program: Command): void {
  const command = program
    .command("sync")
    .description("copy the selected tags of many repositories; unchanged tags cost one HEAD on each side")
    .option(
      "--from <prefix>",
      "source registry/namespace (docker.io/kubeflowkatib) or oci:DIR (default: crossdock.yaml's mappings)",
    )
    .option("--to <prefix>", "target registry/namespace (ghcr.io/kubeflow/katib) or oci:DIR")
    .option("--config <file>", "crossdock.yaml whose mappings to sync when --from/--to are not given")
    .option("--repos <a,b,c>", "repository names under --from (default: the source's catalog)")
    .option("--tags <regex>", "copy tags matching this regular expression (whole tag)")
    .option("--exclude-tags <regex>", "skip tags matching this regular expression")
    .option("--semver <range>", "copy version tags in this range, e.g. '>=0.15.0'")
    .option("--latest <n>", "copy only the newest N version tags")
    .option("--jobs <n>", "images copied at once (default 4)")
    .option("--blob-jobs <n>", "blob transfers at once, across all images (default 6)")
    .option("--platform <os/arch[/variant]>", "copy only this platform (repeatable)", collectValues)
    .option("--no-referrers", "leave signatures and attestations behind")
    .addOption(
      new Option(
        "--format <format>",
        "store Docker manifests with OCI media types, for readers that take only those (digests change)",
      ).choices(["oci"]),
    )
    .option("--reserve <n>", "pulls of the source's rate limit to leave unspent (default 5)")
    .option(
      "--max-wait <duration>",
      "stop instead of waiting longer than this for the rate limit (e.g. 10m, 1h)",
    )
    .option(
      "--plan-out <file>",
      "list the selected repositories and tags (tag lists only) into a plan, copy nothing",
    )
    .option("--plan <file>", "run this plan (from --plan-out) instead of listing")
    .option(
      "--shard <I/N>",
      "run share I of N (from 0; env CROSSDOCK_SHARD, or JOB_COMPLETION_INDEX with CROSSDOCK_SHARDS)",
    )
    .option(
      "--result-out <file>",
      "write what was copied, pending and failed as JSON, for crossdock lock merge",
    )
    .option("--result-push <repo>", "also push the result there as an OCI artifact (tag result-RUN-I-of-N)")
    .option("--run-id <id>", "the run of --result-push (env CROSSDOCK_RUN_ID; default from the plan)")
    .option("--dry-run", "decide with HEAD requests only and print the plan")
    .option("--json", "print the report as JSON")
    .option("--quiet", "no progress output");
  addRegistryOptions(command).action(async (flags: SyncFlags) => {
    // The copy layer and the HTTP client load only when a sync runs (every other command starts faster without them).
    const { runSync } = await import("../run/sync.js");
    await runSync(flags);
  });
}
