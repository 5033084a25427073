import type { Command } from "commander";
import { addRegistryOptions } from "../registry-flags.js";
import type { CiGithubFlags, CiKubernetesFlags } from "../run/ci.js";

/** `crossdock ci kubernetes|github`: runners for a sharded sync, generated (YAML on stdout or --out FILE). */
export function registerCiCommand(program: Command): void {
  const ci = program.command("ci").description("generate runners for a sharded sync");
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
  ci.command("github")
    .description("a workflow: a plan job whose output is the matrix, N shard jobs, a merge job")
    .requiredOption("--shards <n>", "shard jobs (the matrix)")
    .option("--parallelism <p>", "shard jobs at once (default all)")
    .option("--pull-request", "open a pull request with the merged crossdock.lock")
    .option("--out <file>", "write the workflow there (e.g. .github/workflows/crossdock-sync.yaml)")
    .action(async (flags: CiGithubFlags) => {
      const { runCiGithub } = await import("../run/ci.js");
      await runCiGithub(flags);
    });
}
