/** The CLI run as a user would, a child process of bin/crossdock.js: `ref normalize`, `--version`. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { errorCodes } from "../../src/error-codes.js";
import { repoRoot } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

/** The CLI as a user runs it; 30 s is plenty for these offline commands. */
const run = (args: readonly string[]) => runCli(args, { timeoutMs: 30_000 });

const digest = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";

describe("ref normalize, plain output", () => {
  const table: ReadonlyArray<{ args: string[]; code: number; lines: RegExp[]; reason: string }> = [
    {
      args: ["mysql"],
      code: 0,
      lines: [/^docker\.io\/library\/mysql$/],
      reason: "an official image gets docker.io and library/",
    },
    {
      args: ["mysql:8", "kubeflowkatib/katib-ui:v0.17.0", `ghcr.io/a/b:v1@${digest}`, "index.docker.io/x/y"],
      code: 0,
      lines: [
        /^docker\.io\/library\/mysql:8$/,
        /^docker\.io\/kubeflowkatib\/katib-ui:v0\.17\.0$/,
        new RegExp(`^ghcr\\.io/a/b:v1@${digest}$`),
        /^docker\.io\/x\/y$/,
      ],
      reason: "one line per reference, in order, tag and digest kept",
    },
    {
      args: ["localhost:5000/app:dev", "[::1]:5000/repo"],
      code: 0,
      lines: [/^localhost:5000\/app:dev$/, /^\[::1\]:5000\/repo$/],
      reason: "ports and IPv6 hosts",
    },
    {
      args: ["mysql", "Docker/Docker", "redis"],
      code: 2,
      lines: [
        /^docker\.io\/library\/mysql$/,
        /^Docker\/Docker: error: repository name must be lowercase$/,
        /^docker\.io\/library\/redis$/,
      ],
      reason: "an invalid reference gets an error line and exit 2; the others are still printed",
    },
    {
      args: ["1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"],
      code: 2,
      lines: [/^1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a: error: .*hexadecimal/],
      reason: "a bare image ID",
    },
    {
      args: [""],
      code: 2,
      lines: [/^: error: invalid reference format$/],
      reason: "the empty string",
    },
    {
      args: ["--", "-docker"],
      code: 2,
      lines: [/^-docker: error: invalid reference format$/],
      reason: "a reference that looks like a flag, after --",
    },
  ];
  for (const row of table) {
    it(`${row.args.join(" ")}: ${row.reason}`, async () => {
      const result = await run(["ref", "normalize", ...row.args]);
      assert.equal(result.code, row.code, result.stderr);
      const lines = result.stdout.split("\n");
      assert.equal(lines.pop(), "", "output ends with a newline");
      assert.equal(lines.length, row.lines.length, result.stdout);
      row.lines.forEach((pattern, i) => {
        assert.match(lines[i] ?? "", pattern);
      });
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });
  }

  it("exits 2 with a usage message when no reference is given", async () => {
    const result = await run(["ref", "normalize"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /missing required argument/);
  });
});

describe("ref normalize --json", () => {
  const table: ReadonlyArray<{ args: string[]; code: number; rows: unknown[]; reason: string }> = [
    {
      args: ["mysql"],
      code: 0,
      rows: [
        {
          input: "mysql",
          name: "docker.io/library/mysql",
          tag: null,
          digest: null,
          canonical: "docker.io/library/mysql",
        },
      ],
      reason: "absent tag and digest are null",
    },
    {
      args: [`busybox:latest@${digest}`, "ghcr.io/kubeflow/katib/katib-ui:v1"],
      code: 0,
      rows: [
        {
          input: `busybox:latest@${digest}`,
          name: "docker.io/library/busybox",
          tag: "latest",
          digest,
          canonical: `docker.io/library/busybox:latest@${digest}`,
        },
        {
          input: "ghcr.io/kubeflow/katib/katib-ui:v1",
          name: "ghcr.io/kubeflow/katib/katib-ui",
          tag: "v1",
          digest: null,
          canonical: "ghcr.io/kubeflow/katib/katib-ui:v1",
        },
      ],
      reason: "a tag together with a digest; one object per input, in order",
    },
    {
      args: ["redis", "docker/Docker", `repo@sha256:${"F".repeat(64)}`],
      code: 2,
      rows: [
        {
          input: "redis",
          name: "docker.io/library/redis",
          tag: null,
          digest: null,
          canonical: "docker.io/library/redis",
        },
        { input: "docker/Docker", error: "repository name must be lowercase" },
        {
          input: `repo@sha256:${"F".repeat(64)}`,
          error: "invalid sha256 digest: want 64 lower-case hexadecimal characters",
        },
      ],
      reason: "{input, error} for one that does not parse; exit 2",
    },
    {
      args: [`x:${"t".repeat(129)}`],
      code: 2,
      rows: [{ input: `x:${"t".repeat(129)}`, error: "tag must not be more than 128 characters" }],
      reason: "a 129-character tag",
    },
  ];
  for (const row of table) {
    it(`${row.args.join(" ").slice(0, 80)}: ${row.reason}`, async () => {
      const result = await run(["ref", "normalize", "--json", ...row.args]);
      assert.equal(result.code, row.code, result.stderr);
      const parsed: unknown = JSON.parse(result.stdout);
      assert.deepEqual(parsed, row.rows);
      assert.ok(Array.isArray(parsed));
      for (const object of parsed as Array<Record<string, unknown>>) {
        const keys = Object.keys(object).sort();
        assert.ok(
          keys.join() === "canonical,digest,input,name,tag" || keys.join() === "error,input",
          `unexpected keys ${keys.join()}`,
        );
      }
    });
  }

  it("accepts --json after the references", async () => {
    const result = await run(["ref", "normalize", "redis:7", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        input: "redis:7",
        name: "docker.io/library/redis",
        tag: "7",
        digest: null,
        canonical: "docker.io/library/redis:7",
      },
    ]);
  });
});

describe("crossdock --version", () => {
  it("prints the version package.json gives, and exits 0", async () => {
    const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    const result = await run(["--version"]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), pkg.version);
  });
});

describe("a failure under --json", () => {
  it("is also a JSON object on stdout with the error's stable code, beside the line on stderr", async () => {
    const missing = path.join(repoRoot, "no-such-directory-for-crossdock");
    const result = await run(["rewrite", "--json", "--map", "docker.io/a=ghcr.io/b", missing]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^crossdock: /);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    assert.ok(error.code in errorCodes, error.code);
    assert.notEqual(error.code, "UNEXPECTED");
    assert.match(error.message, /no-such-directory-for-crossdock/);
  });
});
