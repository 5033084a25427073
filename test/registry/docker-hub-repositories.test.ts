import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveSyncPairs } from "../../src/copy/sync-pairs.js";
import { RegistryClient } from "../../src/registry/client.js";
import { listDockerHubRepositories } from "../../src/registry/docker-hub-repositories.js";
import { openSyncEndpoint, parseSyncEndpoint } from "../../src/store/sync-endpoint.js";
import { startScriptedServer } from "../helpers/scripted-server.js";

test("Docker Hub's repository list is read page by page, never following `next` to another host", async () => {
  const elsewhere = await startScriptedServer((_req, res) => {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ results: [{ name: "stolen" }] }));
  });
  const hub = await startScriptedServer((req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/v2/repositories/kubeflowkatib/?page_size=100") {
      return json({
        next: "/v2/repositories/kubeflowkatib/?page=2&page_size=100",
        results: [{ name: "katib-ui" }, { name: "katib-controller" }],
      });
    }
    if (req.url === "/v2/repositories/kubeflowkatib/?page=2&page_size=100") {
      return json({
        next: `${elsewhere.url}/v2/repositories/kubeflowkatib/?page=3`,
        results: [{ name: "katib-db-manager" }],
      });
    }
    res.writeHead(404).end();
  });
  try {
    assert.deepEqual(await listDockerHubRepositories("kubeflowkatib", { baseUrl: hub.url }), [
      "katib-controller",
      "katib-db-manager",
      "katib-ui",
    ]);
    assert.equal(elsewhere.requests.length, 0, "the other host was never asked");
    assert.ok(
      hub.requests.every((r) => r.headers.authorization === undefined),
      "no credentials go to the web API",
    );
    await assert.rejects(
      listDockerHubRepositories("nobody", { baseUrl: hub.url }),
      /answered 404: no such namespace/,
    );

    const client = new RegistryClient();
    try {
      const pairs = await resolveSyncPairs({
        from: openSyncEndpoint(client, parseSyncEndpoint("docker.io/kubeflowkatib"), hub.url),
        to: openSyncEndpoint(client, parseSyncEndpoint("ghcr.io/kubeflow/katib")),
        policy: {},
      });
      assert.deepEqual(
        pairs.map((p) => `${p.source.location} -> ${p.target.location}`),
        [
          "docker.io/kubeflowkatib/katib-controller -> ghcr.io/kubeflow/katib/katib-controller",
          "docker.io/kubeflowkatib/katib-db-manager -> ghcr.io/kubeflow/katib/katib-db-manager",
          "docker.io/kubeflowkatib/katib-ui -> ghcr.io/kubeflow/katib/katib-ui",
        ],
      );
    } finally {
      await client.close();
    }
  } finally {
    await Promise.all([hub.stop(), elsewhere.stop()]);
  }
});
