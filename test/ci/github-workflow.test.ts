/**
 * `crossdock ci github --shards N`, validated with GitHub's own workflow parser, then run as a
 * runner would: the plan job, one job per matrix entry from the plan job's output (all at once),
 * and the merge job, each in a directory of its own (the checkout), artifacts passed between them
 * as upload-artifact/download-artifact would, every `run:` through `sh` with its step's env and the
 * matrix values, `npx --yes crossdock@VERSION` being bin/crossdock.js. The merged lock must equal
 * one machine's, with no 429 from the rate-limited source.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { version } from "../../src/version.js";
import { cliPath } from "../helpers/paths.js";
import {
  type ShardRegistries,
  singleMachineLock,
  startShardRegistries,
} from "../helpers/shard-registries.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { loadWorkflowParser } from "../helpers/workflow-parser.js";

const { NoOperationTraceWriter, parseWorkflow } = await loadWorkflowParser();

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface WorkflowJob {
  needs?: string | string[];
  outputs?: Record<string, string>;
  strategy?: { matrix: string };
  steps: Step[];
}

const shards = 3;

/** The schema errors GitHub would show for a workflow file. */
function validate(content: string): string[] {
  const result = parseWorkflow({ name: "crossdock-sync.yaml", content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

/** What a job's expressions may read: its matrix entry, earlier steps' and needed jobs' outputs. */
interface Context {
  matrix: Record<string, unknown>;
  steps: Record<string, Record<string, string>>;
  needs: Record<string, Record<string, string>>;
}

/**
 * `${{ ... }}` in a string, for the forms the generated workflow uses; secrets, vars and github.actor
 * are empty here (credentials come from the runner's docker config). Anything else fails the test.
 */
function expand(text: string, context: Context): string {
  const forms: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^matrix\.(\w+)$/, (m) => String(context.matrix[m[1]!])],
    [/^steps\.(\w+)\.outputs\.(\w+)$/, (m) => context.steps[m[1]!]?.[m[2]!] ?? ""],
    [/^fromJSON\(needs\.(\w+)\.outputs\.(\w+)\)$/, (m) => context.needs[m[1]!]![m[2]!]!],
    [/^(secrets|vars)\.\w+$|^github\.actor$/, () => ""],
  ];
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    for (const [form, value] of forms) {
      const match = form.exec(expression);
      if (match) return value(match);
    }
    throw new Error(`the emulated runner does not know the expression ${expression}`);
  });
}

/** `sh -c` in `cwd`, as a `run:` step; resolves to its exit code and output. */
function runShell(
  command: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], {
      cwd,
      env: { ...process.env, CI: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/**
 * Runs one job's steps in a fresh directory: checkout copies `repo`, artifacts live under
 * `artifacts/NAME/`, `run:` goes through sh with GITHUB_OUTPUT read back into the step's outputs.
 * A failed step skips the rest but for `if: always()` ones, as a runner does.
 */
async function runJob(
  job: WorkflowJob,
  context: Context,
  dirs: { repo: string; artifacts: string; work: string },
  env: Record<string, string>,
): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
  await mkdir(dirs.work, { recursive: true });
  let ok = true;
  let log = "";
  for (const step of job.steps) {
    if (!ok && step.if !== "always()") continue;
    const uses = step.uses?.replace(/@.*/, "");
    const inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), context)]),
    );
    if (uses === "actions/checkout") await cp(dirs.repo, dirs.work, { recursive: true });
    else if (uses === "actions/setup-node") continue;
    else if (uses === "actions/upload-artifact") {
      const into = path.join(dirs.artifacts, inputs["name"]!);
      for (const file of inputs["path"]!.split("\n").filter((p) => p !== ""))
        await cp(path.join(dirs.work, file), path.join(into, path.basename(file))).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code !== "ENOENT" || inputs["if-no-files-found"] !== "ignore") throw error;
          },
        );
    } else if (uses === "actions/download-artifact") {
      const into = path.join(dirs.work, inputs["path"] ?? ".");
      if (inputs["name"] !== undefined)
        await cp(path.join(dirs.artifacts, inputs["name"]), into, { recursive: true });
      else {
        const pattern = new RegExp(`^${inputs["pattern"]!.replace("*", ".*")}$`);
        for (const name of (await readdir(dirs.artifacts)).filter((n) => pattern.test(n)))
          await cp(path.join(dirs.artifacts, name), path.join(into, name), { recursive: true });
      }
    } else if (step.run !== undefined) {
      const outputFile = path.join(dirs.work, `.github-output-${step.id ?? "step"}`);
      await writeFile(outputFile, "");
      const command = expand(step.run, context).replaceAll(
        `npx --yes crossdock@${version}`,
        `node ${cliPath}`,
      );
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, context)]),
      );
      const result = await runShell(command, dirs.work, { ...env, ...stepEnv, GITHUB_OUTPUT: outputFile });
      log += `$ ${command}\n${result.output}`;
      if (result.code !== 0) ok = false;
      if (step.id !== undefined)
        context.steps[step.id] = Object.fromEntries(
          (await readFile(outputFile, "utf8")).split("\n").flatMap((line) => {
            const eq = line.indexOf("=");
            return eq > 0 ? [[line.slice(0, eq), line.slice(eq + 1)]] : [];
          }),
        );
    } else throw new Error(`the emulated runner does not know the step ${JSON.stringify(step)}`);
  }
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([k, v]) => [k, expand(v, context)]),
  );
  return { ok, outputs, log };
}

describe("crossdock ci github --shards: the workflow, validated and run", () => {
  let dir: string;
  let registries: ShardRegistries;
  let content: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-ci-github-"));
    registries = await startShardRegistries(path.join(dir, "registries"));
    const out = path.join(dir, "crossdock-sync.yaml");
    const generated = await spawnCli(["ci", "github", "--shards", String(shards), "--out", out]);
    assert.equal(generated.code, 0, generated.stderr);
    content = await readFile(out, "utf8");
  });
  after(async () => {
    await registries?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("is a workflow GitHub accepts (and the parser would say if it were not)", () => {
    assert.deepEqual(validate(content), []);
    assert.notDeepEqual(validate(content.replace("runs-on:", "runs_on:")), []);
  });

  test("its plan job, shard jobs at once from the matrix, and merge job: one machine's lock, no 429", async () => {
    const workflow = parse(content) as { jobs: Record<string, WorkflowJob> };
    assert.deepEqual(Object.keys(workflow.jobs), ["plan", "sync", "merge"]);
    const repo = path.join(dir, "repo");
    await mkdir(repo);
    await writeFile(
      path.join(repo, "crossdock.yaml"),
      `mappings:\n  - from: ${registries.sourceHost}/org\n    to: ${registries.targetHost}/org\n    repositories: [a, b, c, d]\n`,
    );
    // The runner is logged in to the target (docker config), as after docker/login-action.
    const dockerConfig = path.join(dir, "docker");
    await mkdir(dockerConfig);
    await writeFile(path.join(dockerConfig, "config.json"), registries.dockerConfig);
    const env = { DOCKER_CONFIG: dockerConfig };
    const artifacts = path.join(dir, "artifacts");
    const jobDirs = (name: string) => ({ repo, artifacts, work: path.join(dir, "jobs", name) });
    const fresh = (): Context => ({ matrix: {}, steps: {}, needs: {} });

    const plan = await runJob(workflow.jobs["plan"]!, fresh(), jobDirs("plan"), env);
    assert.ok(plan.ok, plan.log);
    const sync = workflow.jobs["sync"]!;
    const matrix = JSON.parse(
      expand(sync.strategy!.matrix, { ...fresh(), needs: { plan: plan.outputs } }),
    ) as {
      shard: number[];
    };
    assert.deepEqual(matrix.shard, [0, 1, 2], "the plan job's output is the matrix");
    const ran = await Promise.all(
      matrix.shard.map((shard) =>
        runJob(sync, { ...fresh(), matrix: { shard } }, jobDirs(`sync-${shard}`), env),
      ),
    );
    for (const job of ran) assert.ok(job.ok, job.log);
    assert.doesNotMatch(registries.source.stderr(), /" 429 /, "the shards shared the pull budget");

    const merge = await runJob(workflow.jobs["merge"]!, fresh(), jobDirs("merge"), env);
    assert.ok(merge.ok, merge.log);
    const lock = await readFile(path.join(artifacts, "crossdock-lock", "crossdock.lock"), "utf8");
    assert.match(
      await readFile(path.join(artifacts, "crossdock-lock", "crossdock-report.md"), "utf8"),
      /3 shards: \*\*complete\*\*/,
    );
    assert.equal(lock, await singleMachineLock(registries, dir), "one machine's lock");
  });
});
