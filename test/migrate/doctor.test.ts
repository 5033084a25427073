import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { DoctorReport } from "../../src/migrate/doctor.js";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { parseAuthFile } from "../../src/serve/auth-file.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { fixturePath } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";
import { startTokenServer, type TokenServer } from "../helpers/token-server.js";
import { skipUnless } from "../helpers/tools.js";

const password = "s3cret-doctor-pw";
const wrongPassword = "not-the-password-xyz";

/** `CROSSDOCK_AUTH_<HOST>_*` for a loopback registry (README, "Credentials"). */
function envCredentials(host: string, user: string, pass: string): NodeJS.ProcessEnv {
  const key = host.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return { [`CROSSDOCK_AUTH_${key}_USERNAME`]: user, [`CROSSDOCK_AUTH_${key}_PASSWORD`]: pass };
}

let home: string;
before(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "crossdock-doctor-"));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs doctor with no credentials but those given (an empty home: no docker config, no podman auth). */
function doctor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(["doctor", ...args], {
    env: {
      HOME: home,
      DOCKER_CONFIG: home,
      XDG_RUNTIME_DIR: home,
      REGISTRY_AUTH_FILE: path.join(home, "none"),
      ...env,
    },
  });
}

function checkOf(report: DoctorReport, role: string, registry: string) {
  const found = report.checks.find((c) => c.role === role && c.registry === registry);
  assert.ok(found, `no ${role} check for ${registry} in ${JSON.stringify(report)}`);
  return found;
}

describe("doctor against docker-registry with token auth", {
  skip: skipUnless("docker-registry", "openssl"),
}, () => {
  let tokens: TokenServer;
  /** Anonymous callers get pull only here: no credentials are configured for it. */
  let pullOnly: DistributionRegistry;
  /** alice's credentials: the token server grants pull and push. */
  let both: DistributionRegistry;
  /** Wrong credentials: the token server refuses them. */
  let refusing: DistributionRegistry;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    tokens = await startTokenServer({ users: { alice: password }, anonymousActions: ["pull"] });
    const started = await Promise.all([1, 2, 3].map(() => startDistribution({ authYaml: tokens.authYaml })));
    [pullOnly, both, refusing] = started as [
      DistributionRegistry,
      DistributionRegistry,
      DistributionRegistry,
    ];
    env = {
      ...envCredentials(both.host, "alice", password),
      ...envCredentials(refusing.host, "alice", wrongPassword),
    };
  });
  after(async () => {
    await Promise.all([pullOnly?.stop(), both?.stop(), refusing?.stop()]);
    await tokens?.stop();
  });

  test("pull from a pull-only source, push to a target that grants both: nothing blocks", async () => {
    const run = await doctor(["--json", "--map", `${pullOnly.host}/org=${both.host}/org`, home], env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as DoctorReport;
    assert.deepEqual(checkOf(report, "source", pullOnly.host).granted, ["pull"]);
    const target = checkOf(report, "target", both.host);
    assert.deepEqual([...(target.granted ?? [])].sort(), ["pull", "push"]);
    assert.match(target.credentials, /CROSSDOCK_AUTH_127_0_0_1_\d+_USERNAME/);
    assert.equal(report.blocking, 0);
  });

  test("a target that grants pull only blocks, with the scope to add", async () => {
    const run = await doctor(["--map", `${both.host}/org=${pullOnly.host}/org`, home], env);
    assert.equal(run.code, 1, run.stderr + run.stdout);
    assert.match(run.stdout, /blocking: the token for 127\.0\.0\.1:\d+\/org grants pull, not push/);
    assert.match(run.stdout, /fix: grant push: the credentials need repository:org:pull,push/);
  });

  test("a token server that refuses the credentials blocks, and the secret is never printed", async () => {
    const run = await doctor(["--json", "--map", `${pullOnly.host}/org=${refusing.host}/org`, home], env);
    assert.equal(run.code, 1, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as DoctorReport;
    const target = checkOf(report, "target", refusing.host);
    assert.equal(target.auth, "refused");
    assert.match(target.findings[0]?.message ?? "", /refused the credentials .*token server answered 401/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(wrongPassword));
    assert.ok(tokens.grants.some((g) => g.status === 401));
  });

  test("doctor writes nothing on any registry", async () => {
    for (const r of [pullOnly, both, refusing]) r.clearAccessLog();
    await doctor(["--map", `${pullOnly.host}/org=${both.host}/org`, home], env);
    const log = [pullOnly, both, refusing].flatMap((r) => r.accessLog());
    assert.ok(log.length > 0, "no request reached the registries");
    assert.deepEqual(
      log.filter((e) => !["GET", "HEAD"].includes(e.method)),
      [],
    );
  });
});

describe("doctor against crossdock serve --auth with a pull limit", () => {
  let registry: DistributionRegistry;
  let dir: string;
  before(async () => {
    registry = await startServeRegistry({
      auth: parseAuthFile(`alice:${password}\npublic: pub/*\n`),
      pullLimit: { limit: 2, windowSeconds: 3600 },
    });
    const image = createSyntheticImage({ seed: "doctor", index: false });
    const basic = `Basic ${Buffer.from(`alice:${password}`).toString("base64")}`;
    const token = await fetch(`${registry.url}/token?service=crossdock&scope=repository:pub/app:pull,push`, {
      headers: { authorization: basic },
    }).then((r) => r.json() as Promise<{ token: string }>);
    for (const tag of ["v1", "v2", "v3"]) {
      await seedImage(registry.url, "pub/app", image, tag, `Bearer ${token.token}`);
    }
    dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-doctor-project-"));
    await writeFile(
      path.join(dir, "crossdock.yaml"),
      `mappings:\n  - from: ${registry.host}/pub\n    to: ${registry.host}/moved\n    repositories: [app]\n`,
    );
  });
  after(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("anonymous: pull on the public source, no push on the target; the budget is short of the tags", async () => {
    const run = await doctor(["--json", dir]);
    assert.equal(run.code, 1, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout) as DoctorReport;
    const source = report.checks.find((c) => c.role === "source");
    assert.deepEqual(source?.granted, ["pull"]);
    const [budget] = report.budgets;
    assert.deepEqual(
      { ...budget, findings: undefined },
      { registry: registry.host, remaining: 2, limit: 2, needed: 3, findings: undefined },
    );
    assert.match(budget?.findings[0]?.message ?? "", /2 of 2 pulls left; the copy needs up to 3/);
    const target = report.checks.find((c) => c.role === "target");
    assert.deepEqual(target?.granted, []);
    assert.ok(target?.findings.some((f) => /repository:moved\/app:pull,push/.test(f.fix)));
  });

  test("the repository's references decide which repositories and tags are checked (migrate's plan)", async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), "crossdock-doctor-refs-"));
    try {
      await writeFile(path.join(project, "deploy.yaml"), `image: ${registry.host}/pub/app:v2\n`);
      const run = await doctor(["--json", "--map", `${registry.host}/pub=${registry.host}/moved`, project]);
      const report = JSON.parse(run.stdout) as DoctorReport;
      assert.deepEqual(
        report.checks.map((c) => [c.role, c.repository, c.granted]),
        [
          ["source", `${registry.host}/pub/app`, ["pull"]],
          ["target", `${registry.host}/moved/app`, []],
        ],
      );
      assert.equal(report.budgets[0]?.needed, 1);
      assert.equal(report.budgets[0]?.findings.length, 0);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  test("with alice's credentials the target grants pull and push", async () => {
    const run = await doctor(["--json", dir], envCredentials(registry.host, "alice", password));
    const report = JSON.parse(run.stdout) as DoctorReport;
    const target = report.checks.find((c) => c.role === "target");
    assert.deepEqual([...(target?.granted ?? [])].sort(), ["pull", "push"]);
    assert.ok(!run.stdout.includes(password));
  });
});

describe("doctor against docker-registry with basic auth (htpasswd)", {
  skip: skipUnless("docker-registry"),
}, () => {
  let registry: DistributionRegistry;
  before(async () => {
    registry = await startDistribution({
      authYaml: `  htpasswd:\n    realm: basic-realm\n    path: ${fixturePath("registry", "htpasswd")}`,
    });
  });
  after(async () => {
    await registry?.stop();
  });

  test("right credentials: a note that scopes cannot be checked without writing; wrong ones block", async () => {
    const map = ["--json", "--map", `${registry.host}/a=${registry.host}/b`, home];
    const ok = await doctor(map, envCredentials(registry.host, "tester", "s3cret-pass"));
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    const report = JSON.parse(ok.stdout) as DoctorReport;
    const target = checkOf(report, "target", registry.host);
    assert.equal(target.auth, "basic");
    assert.match(target.findings[0]?.message ?? "", /cannot be checked without writing/);
    assert.equal(target.findings[0]?.blocking, false);
    const refused = await doctor(map, envCredentials(registry.host, "tester", wrongPassword));
    assert.equal(refused.code, 1, refused.stderr + refused.stdout);
    assert.equal(
      checkOf(JSON.parse(refused.stdout) as DoctorReport, "target", registry.host).auth,
      "refused",
    );
    assert.ok(!refused.stdout.includes(wrongPassword));
  });
});

test("bad input is exit 2: a malformed mapping, nothing mapped", async () => {
  const bad = await doctor(["--map", "no-equals-sign", home]);
  assert.equal(bad.code, 2, bad.stderr);
  const none = await doctor([home]);
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /nothing to check/);
});
