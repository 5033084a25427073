import type { MergedResults } from "./merge-results.js";

/**
 * The Markdown report of `crossdock lock merge`: whether the run is complete (every shard, one
 * plan, nothing pending), then the copied, pending and failed tags, to paste into a pull request.
 */
export function formatMergeReport(merged: MergedResults, files: readonly string[]): string {
  const copied = merged.images.filter((i) => i.status === "copied");
  const inSync = merged.images.length - copied.length;
  const out = [
    "# crossdock sync: merged results",
    "",
    `${files.length} result file${files.length === 1 ? "" : "s"}, ${merged.shards} shard${merged.shards === 1 ? "" : "s"}: ${merged.complete ? "**complete**" : "**not complete**"}.`,
    "",
    "| copied | in sync | pending | failed |",
    "| -----: | ------: | ------: | -----: |",
    `| ${copied.length} | ${inSync} | ${merged.pending.length} | ${merged.failed.length} |`,
    "",
  ];
  if (merged.missingShards.length > 0)
    out.push(`Missing shards (run them, then merge again): ${merged.missingShards.join(", ")}.`, "");
  if (merged.plans.length > 1)
    out.push(
      `The shards ran ${merged.plans.length} different plans (they listed the registry at different times): write one plan with \`--plan-out\` and run every shard with \`--plan\`.`,
      "",
    );
  const section = (title: string, header: string, rows: string[]): void => {
    if (rows.length === 0) return;
    out.push(
      `## ${title}`,
      "",
      header,
      `|${header
        .split("|")
        .slice(1, -1)
        .map(() => " --- ")
        .join("|")}|`,
      ...rows,
      "",
    );
  };
  section(
    "Copied",
    "| source | target | digest | platforms |",
    copied.map((i) => `| \`${i.source}\` | \`${i.target}\` | \`${i.digest}\` | ${i.platforms.join(", ")} |`),
  );
  section(
    "Pending (rerun the shard to continue)",
    "| source | target |",
    merged.pending.map((t) => `| \`${t.source}\` | \`${t.target}\` |`),
  );
  section(
    "Failed",
    "| source | error |",
    merged.failed.map((t) => `| \`${t.source}\` | ${(t.error ?? "").replaceAll("|", "\\|")} |`),
  );
  return `${out.join("\n").trimEnd()}\n`;
}
