import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { matchesRepositoryPattern, parseAuthFile } from "../../src/serve/auth-file.js";
import { parseAddress, parsePullLimit } from "../../src/serve/options.js";

test("parsePullLimit reads N/WINDOW with s, m, h, d units", () => {
  assert.deepEqual(parsePullLimit("100/6h"), { limit: 100, windowSeconds: 21600 });
  assert.deepEqual(parsePullLimit("5/30s"), { limit: 5, windowSeconds: 30 });
  assert.deepEqual(parsePullLimit("200/1d"), { limit: 200, windowSeconds: 86400 });
  assert.deepEqual(parsePullLimit("7/90"), { limit: 7, windowSeconds: 90 });
  for (const bad of ["100", "0/6h", "100/0h", "a/6h", "100/6x", "-1/6h"]) {
    assert.throws(() => parsePullLimit(bad), UsageError, bad);
  }
});

test("parseAddress reads HOST:PORT, [v6]:PORT, :PORT and a bare port", () => {
  assert.deepEqual(parseAddress("127.0.0.1:5000"), { host: "127.0.0.1", port: 5000 });
  assert.deepEqual(parseAddress("0.0.0.0:0"), { host: "0.0.0.0", port: 0 });
  assert.deepEqual(parseAddress("[::1]:5000"), { host: "::1", port: 5000 });
  assert.deepEqual(parseAddress(":5000"), { host: "127.0.0.1", port: 5000 });
  assert.deepEqual(parseAddress("5001"), { host: "127.0.0.1", port: 5001 });
  assert.deepEqual(parseAddress("localhost:80"), { host: "localhost", port: 80 });
  for (const bad of ["", "host", "host:99999", "a:b", "::1:5000"])
    assert.throws(() => parseAddress(bad), UsageError, bad);
});

test("parseAuthFile reads users, hashed passwords and public patterns, and reports every bad line at once", () => {
  const auth = parseAuthFile(
    `# comment\nalice:s3cret # trailing\nbob:sha256:${"a".repeat(64)}\n\npublic: library/*\npublic:demo/**\n`,
  );
  assert.deepEqual(auth.users, [
    { name: "alice", password: "s3cret" },
    { name: "bob", passwordSha256: "a".repeat(64) },
  ]);
  assert.deepEqual(auth.publicRepositories, ["library/*", "demo/**"]);
  assert.throws(
    () => parseAuthFile("justaname\nalice:x\nalice:y\n:nopass\n", "users.txt"),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message.includes("users.txt:1") &&
      error.message.includes("users.txt:3") &&
      error.message.includes("users.txt:4"),
  );
});

test("repository patterns: * stays within a component, ** spans them", () => {
  assert.ok(matchesRepositoryPattern("library/*", "library/nginx"));
  assert.ok(!matchesRepositoryPattern("library/*", "library/a/b"));
  assert.ok(matchesRepositoryPattern("demo/**", "demo/a/b"));
  assert.ok(matchesRepositoryPattern("exact", "exact"));
  assert.ok(!matchesRepositoryPattern("exact", "exactly"));
  assert.ok(!matchesRepositoryPattern("a.b", "axb"));
});
