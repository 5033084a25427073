import { stringify } from "yaml";

/** Options of shardedSyncWorkflow. */
export interface ShardedSyncWorkflowOptions {
  /** Shard jobs (the matrix): job I runs share I of N of the plan. */
  readonly shards: number;
  /** Shard jobs at once (`max-parallel`); default all of them. */
  readonly parallelism?: number;
  /** The crossdock the jobs run, as `npx` runs it: this version, from npm. */
  readonly version: string;
  /** Open a pull request with the merged crossdock.lock when the run is complete. */
  readonly pullRequest?: boolean;
}

/** Where the generated workflow goes in a repository. */
export const shardedSyncWorkflowPath = ".github/workflows/crossdock-sync.yaml";

/**
 * A shard stops taking new tags after this long (`--max-wait`) and writes its result: GitHub ends a
 * job at 6 hours, and a job ended that way uploads nothing.
 * https://docs.github.com/en/actions/reference/limits#existing-system-limits
 */
const shardMaxWait = "5h";

const checkout = { uses: "actions/checkout@v4" };
const setupNode = { uses: "actions/setup-node@v4", with: { "node-version": "20" } };

/**
 * A GitHub Actions workflow that runs a sharded sync of the repository's crossdock.yaml: a plan job
 * (tag lists only) whose output is the matrix and whose artifact is the plan, N shard jobs
 * (`strategy.matrix`, `CROSSDOCK_SHARD=I/N`) that each upload their result, and a merge job that
 * merges them into crossdock.lock and a report, uploads both, and (optionally) opens a pull request.
 * Credentials: GITHUB_TOKEN for ghcr.io, DOCKERHUB_USERNAME (a variable) and DOCKERHUB_TOKEN (a
 * secret) for Docker Hub. Pure: returns the YAML.
 * https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/running-variations-of-jobs-in-a-workflow
 */
export function shardedSyncWorkflow(options: ShardedSyncWorkflowOptions): string {
  const crossdock = `npx --yes crossdock@${options.version}`;
  const shards = Array.from({ length: options.shards }, (_, i) => i);
  const credentials = {
    GITHUB_TOKEN: "${{ secrets.GITHUB_TOKEN }}",
    GITHUB_ACTOR: "${{ github.actor }}",
    DOCKERHUB_USERNAME: "${{ vars.DOCKERHUB_USERNAME }}",
    DOCKERHUB_TOKEN: "${{ secrets.DOCKERHUB_TOKEN }}",
  };
  const workflow = {
    name: "crossdock sync",
    on: { workflow_dispatch: {} },
    permissions: { contents: "read" },
    // One run at a time: two runs of one plan would push the same tags twice.
    concurrency: { group: "crossdock-sync", "cancel-in-progress": false },
    jobs: {
      plan: {
        "runs-on": "ubuntu-latest",
        outputs: { matrix: "${{ steps.matrix.outputs.matrix }}" },
        steps: [
          checkout,
          setupNode,
          {
            name: "plan (tag lists only: no pull spent)",
            run: `${crossdock} sync --plan-out plan.json`,
            env: credentials,
          },
          {
            id: "matrix",
            name: "matrix",
            run: `echo 'matrix=${JSON.stringify({ shard: shards })}' >> "$GITHUB_OUTPUT"`,
          },
          { uses: "actions/upload-artifact@v4", with: { name: "plan", path: "plan.json" } },
        ],
      },
      sync: {
        needs: "plan",
        "runs-on": "ubuntu-latest",
        permissions: { contents: "read", packages: "write" },
        strategy: {
          "fail-fast": false,
          ...(options.parallelism !== undefined ? { "max-parallel": options.parallelism } : {}),
          matrix: "${{ fromJSON(needs.plan.outputs.matrix) }}",
        },
        steps: [
          checkout,
          setupNode,
          { uses: "actions/download-artifact@v4", with: { name: "plan" } },
          {
            name: "sync one shard",
            run: `${crossdock} sync --plan plan.json --max-wait ${shardMaxWait} --result-out result.json`,
            env: { CROSSDOCK_SHARD: `\${{ matrix.shard }}/${options.shards}`, ...credentials },
          },
          {
            if: "always()",
            uses: "actions/upload-artifact@v4",
            with: { name: "result-${{ matrix.shard }}", path: "result.json", "if-no-files-found": "ignore" },
          },
        ],
      },
      merge: {
        needs: ["plan", "sync"],
        // Also after a failed shard: the merge names what is missing or pending, and the lock keeps what is done.
        if: "always() && needs.plan.result == 'success'",
        "runs-on": "ubuntu-latest",
        ...(options.pullRequest ? { permissions: { contents: "write", "pull-requests": "write" } } : {}),
        steps: [
          checkout,
          setupNode,
          { uses: "actions/download-artifact@v4", with: { pattern: "result-*", path: "results" } },
          {
            name: "merge the results",
            run: `${crossdock} lock merge results/*/result.json --lock crossdock.lock --report crossdock-report.md`,
          },
          {
            if: "always()",
            uses: "actions/upload-artifact@v4",
            with: { name: "crossdock-lock", path: "crossdock.lock\ncrossdock-report.md" },
          },
          ...(options.pullRequest
            ? [
                {
                  uses: "peter-evans/create-pull-request@v7",
                  with: {
                    "add-paths": "crossdock.lock",
                    branch: "crossdock/sync",
                    title: "crossdock sync: update crossdock.lock",
                    "body-path": "crossdock-report.md",
                  },
                },
              ]
            : []),
        ],
      },
    },
  };
  return stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false });
}
