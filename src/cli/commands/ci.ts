import type { Command } from "commander";
import { addRegistryOptions } from "../registry-flags.js";
import type { CiGithubFlags, CiKubernetesFlags } from "../run/ci.js";

/** `crossdock ci github|kubernetes`: the CI files a migration needs (publishing to both, sharded sync runners). */
export function registerCiCommand(program: Command): void {
  const ci = program.command("ci").description("write the CI files a migration needs");
  ci.command("github")
    .description(
      "patch the workflows that publish images to publish to the target too, and add a scheduled sync and drift check (a dry run prints a diff); with --shards, a sharded sync workflow instead",
    )
    .argument("[dir]", "repository", ".")
    .option("--write", "apply (each file atomically)")
    .option("--config <file>", "crossdock.yaml to read")
    .option("--action <ref>", "the crossdock action the scheduled workflow uses (OWNER/crossdock@v1)")
    .option("--json", "print the plan (and what was written) as JSON")
    .option(
      "--shards <n>",
      "write a sharded sync workflow: a plan job, N shard jobs (the matrix), a merge job",
    )
    .option("--parallelism <p>", "with --shards: shard jobs at once (default all)")
    .option("--pull-request", "with --shards: open a pull request with the merged crossdock.lock")
    .option("--out <file>", "with --shards: write the workflow there (default stdout)")
    .action(async (dir: string, flags: CiGithubFlags) => {
      // Loaded here, not at start-up: every other command starts faster without it.
      const { runCiGithub } = await import("../run/ci.js");
      await runCiGithub(dir, flags);
    });
  const kubernetes = ci
    .command("kubernetes")
    .description("an Indexed Job (one pod a shard), its ConfigMap and a merge Job, as YAML")
    .requiredOption("--shards <n>", "shards: the Job's completions")
    .option("--parallelism <p>", "pods at once (default min(N, 4))")
    .requiredOption("--plan <file>", "the plan the shards divide (sync --plan-out)")
    .option("--config <file>", "crossdock.yaml to ship beside the plan (default: the one here, if any)")
    .option("--image <ref>", "crossdock's image, REPO@sha256:... or REPO[:TAG] to pin (env CROSSDOCK_IMAGE)")
    .option("--results <repo>", "where shards push results (default TARGET/crossdock-results)")
    .option("--run-id <id>", "names the results' tags (default from the plan's digest)")
    .option("--name <name>", "the Job's name (default crossdock-sync)")
    .option("--secret <name>", "the dockerconfigjson Secret (default crossdock-registry-auth)")
    .option("--out <file>", "write the YAML there instead of stdout");
  addRegistryOptions(kubernetes).action(async (flags: CiKubernetesFlags) => {
    // The plan reader and the registry client load only for this command (start-up time).
    const { runCiKubernetes } = await import("../run/ci.js");
    await runCiKubernetes(flags);
  });
}
