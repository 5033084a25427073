import { setMaxListeners } from "node:events";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { planGithubCi } from "../ci/github/github-ci.js";
import type { CopyEvent } from "../copy/events.js";
import { UsageError } from "../errors.js";
import { loadConfig } from "../migrate/config/load-config.js";
import { type MigrateResult, migrate } from "../migrate/migrate.js";
import { projectStatus } from "../migrate/project-status.js";
import { rollbackProject } from "../migrate/rollback.js";
import { RegistryClient } from "../registry/client.js";
import type { RateLimitState } from "../registry/rate-limit.js";
import { diffSampleRepo, type FileChange } from "./diff-summary.js";
import { type DemoVerdict, judgeMigration } from "./expectations.js";
import { demoPullLimit, startDemoRegistries } from "./registries.js";
import { type SampleRepoHosts, sampleRepoFiles, writeSampleRepo } from "./sample-repo.js";
import { type SeedResult, seedHub } from "./seed.js";

/** Options of runDemo. */
export interface DemoOptions {
  /** Keep everything in this directory (created; must be empty) instead of a temporary one. */
  readonly keep?: string;
  /** One line per step ("seeding the Docker Hub", migrate's own steps...). */
  readonly onStep?: (message: string) => void;
  /** Copy progress, for a ProgressDisplay. */
  readonly onEvent?: (event: CopyEvent) => void;
  /** Aborting (Ctrl-C) stops the demo; the registries close and the temporary files go either way. */
  readonly signal?: AbortSignal;
  /** The longest the whole demo may take before it gives up; 50 s by default. */
  readonly timeoutMs?: number;
}

/** Everything the demo did, for the summary. */
export interface DemoOutcome {
  readonly verdict: DemoVerdict;
  readonly migration: MigrateResult;
  readonly hosts: SampleRepoHosts;
  /** The kept directory, or undefined when everything was removed. */
  readonly keptDir?: string;
  readonly repoDir: string;
  readonly hubStorage: string;
  readonly ghcrStorage: string;
  readonly seed: SeedResult;
  readonly changes: readonly FileChange[];
  /** The "Docker Hub" pull budget as its last answer stated it. */
  readonly budget?: RateLimitState;
  /** Names of the variables that carried the "GHCR" login (never the values). */
  readonly ghcrEnvNames: readonly string[];
  readonly durationMs: number;
}

/**
 * The whole migration, offline: starts a "Docker Hub" (pull limit, anonymous pulls) and a "GHCR"
 * (token auth, private on first push) in this process, seeds the hub with a Katib-shaped project,
 * writes a sample repository that refers to it in many forms, runs `migrate` on it, and judges the
 * result by the demo's own expectations. Servers and clients are closed, and (without `keep`) the
 * temporary directory removed, on success, failure and abort alike.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const started = Date.now();
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 50_000)];
  if (options.signal !== undefined) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  // Every request of the run listens to it: more than Node's default 10 listeners is expected.
  setMaxListeners(0, signal);
  const step = options.onStep ?? (() => {});
  const root =
    options.keep === undefined
      ? await mkdtemp(path.join(os.tmpdir(), "crossdock-demo-"))
      : await prepareKeep(options.keep);
  const repoDir = path.join(root, "repo");
  const clients: RegistryClient[] = [];
  let close = async (): Promise<void> => {};
  try {
    const registries = await startDemoRegistries(path.join(root, "registries"), signal);
    close = registries.close;
    const hosts: SampleRepoHosts = { hub: registries.hub.host, ghcr: registries.ghcr.host };
    const hours = demoPullLimit.windowSeconds / 3600;
    step(
      `started a "Docker Hub" at ${hosts.hub} (anonymous pulls, ${demoPullLimit.limit} pulls per ${hours} h) and a "GHCR" at ${hosts.ghcr} (token auth, packages private on first push)`,
    );

    const publisher = new RegistryClient({ credentials: registries.publisherCredentials });
    clients.push(publisher);
    const seed = await seedHub(publisher, hosts.hub, signal);
    step(
      `published the demo project to the "Docker Hub": ${seed.images} image tags (multi-arch, sharing a base layer) and ${seed.signatures} cosign signature, ${(seed.bytes / 1e6).toFixed(1)} MB`,
    );

    const files = await writeSampleRepo(repoDir, hosts);
    step(`wrote a sample repository with ${files.length} files that refer to those images: ${repoDir}`);

    const client = new RegistryClient({ credentials: registries.migrateCredentials });
    const anonymousClient = new RegistryClient();
    clients.push(client, anonymousClient);
    const planned = await migrate({ dir: repoDir, client, anonymousClient, dryRun: true, signal });
    const toCopy = planned.copies.filter((c) => c.status === "would-copy").length;
    step(
      `crossdock migrate --dry-run (HEAD requests only, nothing written): ${toCopy} image(s) to copy, ${planned.edits} reference(s) to change in ${planned.filesChanged} file(s), ${planned.failures.length} that cannot be switched`,
    );
    const ci = await planGithubCi({
      dir: repoDir,
      rules: (await loadConfig(path.join(repoDir, "crossdock.yaml"))).rules,
    });
    step(
      `crossdock ci github (dry run; the parallel phase): would ${ci.files.map((f) => `${f.created ? "create" : "patch"} ${f.file}`).join(" and ")}, so CI publishes to both registries and checks drift daily`,
    );
    step(`running crossdock migrate ${repoDir} (GHCR login from ${registries.ghcrEnvNames.join(" and ")})`);
    let madePublic = false;
    const onStep = (message: string): void => {
      // Once the copies are done (migrate verifies next), play the maintainer who makes the new
      // packages public: GHCR makes each one private on its first push.
      if (!madePublic && /^(?:verifying|rewriting)\b/i.test(message)) {
        madePublic = true;
        registries.makeGhcrPackagesPublic();
        step(
          'made the new "GHCR" packages public, as a maintainer does on github.com (Package settings, Change visibility): GHCR makes a package private on its first push',
        );
      }
      step(message);
    };
    const migration = await migrate({
      dir: repoDir,
      client,
      anonymousClient,
      onStep,
      ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
      signal,
    });
    const status = await projectStatus({ dir: repoDir, drift: { client, anonymousClient }, signal });
    step(
      `crossdock status --drift: phase ${status.phase}; ${status.drift?.map((d) => `${d.kind} ${d.subject}`).join(", ") || "no drift"}`,
    );
    const rollback = await rollbackProject({ dir: repoDir, write: false });
    step(
      `crossdock rollback (dry run): would restore ${rollback.restored.length} reference(s) in ${rollback.edits.size} file(s), byte for byte, from the lock's journal`,
    );
    const changes = await diffSampleRepo(repoDir, sampleRepoFiles(hosts));
    const budget = latest([client.rateLimit(hosts.hub), anonymousClient.rateLimit(hosts.hub)]);
    return {
      verdict: judgeMigration(migration),
      migration,
      hosts,
      ...(options.keep !== undefined ? { keptDir: root } : {}),
      repoDir,
      hubStorage: registries.hubStorage,
      ghcrStorage: registries.ghcrStorage,
      seed,
      changes,
      ...(budget !== undefined ? { budget } : {}),
      ghcrEnvNames: registries.ghcrEnvNames,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    if (signal.aborted && options.signal?.aborted !== true) {
      throw new Error(
        `the demo took longer than ${Math.round((options.timeoutMs ?? 50_000) / 1000)} s and was stopped`,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    await close();
    if (options.keep === undefined) await rm(root, { recursive: true, force: true });
  }
}

/** Creates the --keep directory, or accepts an empty one; anything in it is refused, never overwritten. */
async function prepareKeep(dir: string): Promise<string> {
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  const entries = await readdir(root);
  if (entries.length > 0) {
    throw new UsageError(`--keep ${dir}: the directory is not empty; name a new or empty one`);
  }
  return root;
}

function latest(states: ReadonlyArray<RateLimitState | undefined>): RateLimitState | undefined {
  let best: RateLimitState | undefined;
  for (const state of states)
    if (state !== undefined && (best === undefined || state.observedAt >= best.observedAt)) best = state;
  return best;
}
