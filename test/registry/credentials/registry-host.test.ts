import assert from "node:assert/strict";
import { test } from "node:test";
import {
  envHostKey,
  helperServerUrl,
  normalizeRegistryHost,
  parseAuthKey,
} from "../../../src/registry/credentials/registry-host.js";

const hosts: ReadonlyArray<readonly [input: string, host: string, path: string, why: string]> = [
  ["docker.io", "docker.io", "", "the canonical Docker Hub name"],
  ["index.docker.io", "docker.io", "", "the legacy index name"],
  ["registry-1.docker.io", "docker.io", "", "the host the Hub API is served from"],
  ["https://index.docker.io/v1/", "docker.io", "", "the key docker login writes for the Hub"],
  ["Index.Docker.IO", "docker.io", "", "host names are case-insensitive"],
  ["ghcr.io", "ghcr.io", "", "a bare host"],
  ["https://ghcr.io", "ghcr.io", "", "a URL key"],
  ["http://localhost:5000/v2/", "localhost:5000", "", "a URL's path is an API path, not a namespace"],
  ["localhost:5000", "localhost:5000", "", "the port is part of the host"],
  ["quay.io/org", "quay.io", "org", "a podman namespace key"],
  ["quay.io/org/repo/", "quay.io", "org/repo", "trailing slash dropped"],
  ["docker.io/library", "docker.io", "library", "a namespace under the Hub"],
];

for (const [input, host, path, why] of hosts) {
  test(`parseAuthKey(${JSON.stringify(input)}): ${why}`, () => {
    assert.deepEqual(parseAuthKey(input), { host, path });
    assert.equal(normalizeRegistryHost(input), host);
  });
}

test("envHostKey upper-cases and turns every non-alphanumeric into _", () => {
  assert.equal(envHostKey("ghcr.io"), "GHCR_IO");
  assert.equal(envHostKey("localhost:5000"), "LOCALHOST_5000");
  assert.equal(envHostKey("my-registry.example.com"), "MY_REGISTRY_EXAMPLE_COM");
  assert.equal(envHostKey("registry-1.docker.io"), "DOCKER_IO");
});

test("helpers are asked for Docker Hub by its index URL and for other hosts by bare host", () => {
  assert.equal(helperServerUrl("docker.io"), "https://index.docker.io/v1/");
  assert.equal(helperServerUrl("ghcr.io"), "ghcr.io");
  assert.equal(helperServerUrl("localhost:5000"), "localhost:5000");
});
