import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import { type Location, parseLocation } from "../../src/store/locations.js";

const digest = `sha256:${"a".repeat(64)}`;

const valid: readonly (readonly [string, Location])[] = [
  ["oci:/srv/images", { kind: "oci", path: "/srv/images" }],
  ["oci:/srv/images:v1.2", { kind: "oci", path: "/srv/images", reference: "v1.2" }],
  ["oci:relative/dir:latest", { kind: "oci", path: "relative/dir", reference: "latest" }],
  ["oci:./dir", { kind: "oci", path: "./dir" }],
  [`oci:/srv/images@${digest}`, { kind: "oci", path: "/srv/images", reference: digest }],
  [`oci:/srv/images:@${digest}`, { kind: "oci", path: "/srv/images", reference: digest }],
  ["oci:/srv/me@home/dir:x", { kind: "oci", path: "/srv/me@home/dir", reference: "x" }],
  ["oci-archive:images.tar", { kind: "oci-archive", path: "images.tar" }],
  [
    "oci-archive:/tmp/images.tar:sha256-abc.sig",
    { kind: "oci-archive", path: "/tmp/images.tar", reference: "sha256-abc.sig" },
  ],
  [
    `oci-archive:/tmp/images.tar@${digest}`,
    { kind: "oci-archive", path: "/tmp/images.tar", reference: digest },
  ],
  ["docker.io/library/nginx:1.27", { kind: "registry", reference: "docker.io/library/nginx:1.27" }],
  [
    "docker://ghcr.io/kubeflow/katib/katib-ui:v0.17",
    { kind: "registry", reference: "ghcr.io/kubeflow/katib/katib-ui:v0.17" },
  ],
  ["localhost:5000/app", { kind: "registry", reference: "localhost:5000/app" }],
  ["nginx", { kind: "registry", reference: "nginx" }],
  ["ocifoo:bar", { kind: "registry", reference: "ocifoo:bar" }],
];

const invalid: readonly string[] = [
  "oci:",
  "oci::v1",
  "oci:/a:b:c",
  "oci:/srv/images:",
  "oci:/srv/images:bad tag",
  "oci:/srv/images@sha256:short",
  "oci-archive:",
  "oci-archive:x.tar:-dash",
  "docker://",
  "",
  "dir:/tmp/x",
  "docker-archive:x.tar",
  "containers-storage:nginx",
];

test("parseLocation reads skopeo's spellings of layouts, archives and registry references", () => {
  for (const [input, expected] of valid) assert.deepEqual(parseLocation(input), expected, input);
});

test("parseLocation refuses malformed locations with a UsageError", () => {
  for (const input of invalid) {
    assert.throws(
      () => parseLocation(input),
      (e) => e instanceof UsageError && e.code === "INVALID_LOCATION",
      input,
    );
  }
});
