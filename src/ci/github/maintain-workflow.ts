// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions (${{ }}) are the text written
import type { MappingRule } from "../../reference/mapping.js";

/** Where `crossdock ci github` writes the scheduled workflow, relative to the repository. */
export const maintainWorkflowPath = ".github/workflows/crossdock-maintain.yaml";

/**
 * The GitHub Action the generated workflows use: this repository's `action.yml`, at the major
 * version tag (`v1` follows the newest 1.x release, which pins its crossdock version).
 */
export const defaultActionRef = "OWNER/crossdock@v1";

/** The `with:` lines giving the action one registry's credentials, as `side-registry` etc. */
function credentialInputs(side: "source" | "target", host: string): string[] {
  const lines = [`${side}-registry: ${host}`];
  // GHCR: the action's defaults are the workflow's own actor and token.
  if (side === "target" && host === "ghcr.io") return lines;
  // Docker Hub: the secret names docker/login-action documents (crossdock reads them too).
  if (host === "docker.io")
    return [
      ...lines,
      `${side}-username: \${{ secrets.DOCKERHUB_USERNAME }}`,
      `${side}-password: \${{ secrets.DOCKERHUB_TOKEN }}`,
    ];
  const prefix = `CROSSDOCK_${side.toUpperCase()}`;
  return [
    ...lines,
    `${side}-username: \${{ secrets.${prefix}_USERNAME }}`,
    `${side}-password: \${{ secrets.${prefix}_PASSWORD }}`,
  ];
}

/**
 * The scheduled workflow of the maintain phase: `crossdock sync` copies what crossdock.yaml's
 * mappings select and the target lacks (new tags of the images still published to the source,
 * mirrored repositories), then `crossdock status --drift` fails the run (exit 1) on drift, which
 * is GitHub's alert. Once a day at a quiet minute (the hour's first minutes are GitHub's busiest),
 * and by hand. Credentials are those of the first mapping's registries.
 * https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule
 */
export function maintainWorkflow(rules: readonly MappingRule[], actionRef = defaultActionRef): string {
  const first = rules[0];
  const credentials = first
    ? [...credentialInputs("source", first.from.domain), ...credentialInputs("target", first.to.domain)]
    : [];
  const step = (command: string, args: string | undefined, condition?: string) => [
    `      - name: crossdock ${command}${args ? ` ${args}` : ""}`,
    ...(condition ? [`        if: ${condition}`] : []),
    `        uses: ${actionRef}`,
    "        with:",
    `          command: ${command}`,
    ...(args ? [`          args: ${args}`] : []),
    ...credentials.map((line) => `          ${line}`),
  ];
  return [
    "# Written by `crossdock ci github` (the maintain phase). Each day: `crossdock sync` copies the tags",
    "# crossdock.yaml selects that the target lacks, then `crossdock status --drift` fails the run when",
    "# the registries or the repository drift apart (a missing or different tag, a private package, a",
    "# reference back at the source). Edit freely: `crossdock ci github` leaves this file alone once it exists.",
    "name: crossdock maintain",
    "on:",
    "  schedule:",
    '    - cron: "37 4 * * *"',
    "  workflow_dispatch:",
    "permissions:",
    "  contents: read",
    "  packages: write",
    "jobs:",
    "  maintain:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    ...step("sync", undefined),
    // Drift is worth knowing about even when a copy failed.
    ...step("status", "--drift", "${{ !cancelled() }}"),
    "",
  ].join("\n");
}
