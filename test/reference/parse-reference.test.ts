/**
 * parseReference against distribution/reference's ParseNormalizedNamed, case by case.
 *
 * Cases are taken from upstream, https://github.com/distribution/reference:
 * normalize_test.go (TestValidateReferenceName, TestValidateRemoteName, TestParseRepositoryInfo,
 * TestParseReferenceWithTagAndDigest, TestParseAnyReference, TestNormalizedSplitHostname),
 * reference_test.go (TestReferenceParse, fed through the normalizing front end) and the grammar in
 * regexp.go / reference.go / normalize.go (RepositoryNameTotalLengthMax applies to the path only).
 * Each case says why it holds; "upstream:" marks a case copied from those files.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidReferenceError } from "../../src/reference/errors.js";
import {
  checkDigest,
  familiarName,
  familiarString,
  formatReference,
  parseReference,
  tryParseReference,
} from "../../src/reference/reference.js";

interface Expected {
  readonly domain: string;
  readonly path: string;
  readonly familiar: string;
  readonly tag?: string;
  readonly digest?: string;
}

interface ValidCase extends Expected {
  readonly kind: "valid";
  readonly input: string;
  readonly reason: string;
}

interface InvalidCase {
  readonly kind: "invalid";
  readonly input: string;
  readonly reason: string;
  /** Matched against InvalidReferenceError.reason. */
  readonly error: RegExp;
}

type Case = ValidCase | InvalidCase;

function valid(input: string, reason: string, expected: Expected): ValidCase {
  return { kind: "valid", input, reason, ...expected };
}

function invalid(input: string, reason: string, error: RegExp): InvalidCase {
  return { kind: "invalid", input, reason, error };
}

const hex64 = "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";
const sha256 = `sha256:${hex64}`;
const f64 = "f".repeat(64);
const busyboxDigest = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
const sha512 = `sha512:${"f".repeat(128)}`;
const sha384 = `sha384:${"a".repeat(96)}`;
const imageId = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
const tag128 = `v${"1".repeat(127)}`;
const tag129 = `v${"1".repeat(128)}`;
const a247 = "a".repeat(247);
const a255 = "a".repeat(255);
const deepPath = `${"a/".repeat(127)}a`;
const longNamespace =
  "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255";

const lowercase = /must be lowercase/;
const format = /invalid reference format/;
const tooLong = /must not be more than 255 characters/;

const cases: readonly Case[] = [
  // --- The docker.io and library/ defaults ---
  valid("debian", "upstream: a one-component name is an official image on docker.io", {
    domain: "docker.io",
    path: "library/debian",
    familiar: "debian",
  }),
  valid("library/debian", "upstream: library/ is Docker Hub's namespace, not a registry", {
    domain: "docker.io",
    path: "library/debian",
    familiar: "debian",
  }),
  valid("docker/docker", "upstream: a first component without '.', ':' or upper case is a namespace", {
    domain: "docker.io",
    path: "docker/docker",
    familiar: "docker/docker",
  }),
  valid("docker.io/debian", "upstream: docker.io/<one component> gets library/", {
    domain: "docker.io",
    path: "library/debian",
    familiar: "debian",
  }),
  valid("docker.io/library/debian", "upstream: already canonical", {
    domain: "docker.io",
    path: "library/debian",
    familiar: "debian",
  }),
  valid("docker.io/library/foo/bar", "upstream: library/ is only stripped from a one-component rest", {
    domain: "docker.io",
    path: "library/foo/bar",
    familiar: "library/foo/bar",
  }),
  valid("other/library", "upstream: library as the last component is just a name", {
    domain: "docker.io",
    path: "other/library",
    familiar: "other/library",
  }),
  valid("store/foo/bar", "upstream: three components on Docker Hub stay as they are", {
    domain: "docker.io",
    path: "store/foo/bar",
    familiar: "store/foo/bar",
  }),
  valid("docker.io", "a lone 'docker.io' is one component, so an official image of that name", {
    domain: "docker.io",
    path: "library/docker.io",
    familiar: "docker.io",
  }),
  // --- index.docker.io ---
  valid("index.docker.io/docker/docker", "upstream: index.docker.io is read as docker.io", {
    domain: "docker.io",
    path: "docker/docker",
    familiar: "docker/docker",
  }),
  valid("index.docker.io/debian", "upstream: index.docker.io/<one component> gets library/", {
    domain: "docker.io",
    path: "library/debian",
    familiar: "debian",
  }),
  valid("index.docker.io/library/ubuntu-12.04-base", "upstream: the legacy name of an official image", {
    domain: "docker.io",
    path: "library/ubuntu-12.04-base",
    familiar: "ubuntu-12.04-base",
  }),
  // --- The domain rule ---
  valid("test.com/foo", "upstream: a '.' makes the first component a registry", {
    domain: "test.com",
    path: "foo",
    familiar: "test.com/foo",
  }),
  valid("example.com/privatebase", "upstream: no library/ is added on other registries", {
    domain: "example.com",
    path: "privatebase",
    familiar: "example.com/privatebase",
  }),
  valid("test_com/foo", "upstream: an underscore does not make a registry", {
    domain: "docker.io",
    path: "test_com/foo",
    familiar: "test_com/foo",
  }),
  valid("test-com:8080/foo", "upstream: a ':' makes the first component a registry", {
    domain: "test-com:8080",
    path: "foo",
    familiar: "test-com:8080/foo",
  }),
  valid("localhost/foo", "localhost is always a registry", {
    domain: "localhost",
    path: "foo",
    familiar: "localhost/foo",
  }),
  valid("localhost:5000/foo/bar:1.0", "localhost with a port, a nested path and a tag", {
    domain: "localhost:5000",
    path: "foo/bar",
    tag: "1.0",
    familiar: "localhost:5000/foo/bar:1.0",
  }),
  valid("localhost:5000", "upstream FIXME: a lone localhost:5000 is the official image localhost, tag 5000", {
    domain: "docker.io",
    path: "library/localhost",
    tag: "5000",
    familiar: "localhost:5000",
  }),
  valid("Docker/docker", "upstream: upper case makes the first component a registry", {
    domain: "Docker",
    path: "docker",
    familiar: "Docker/docker",
  }),
  valid("DOCKER/docker", "upstream: an all-upper-case first component is a registry", {
    domain: "DOCKER",
    path: "docker",
    familiar: "DOCKER/docker",
  }),
  valid("xn--n3h.com:18080/foo", "upstream: a punycode host with a port", {
    domain: "xn--n3h.com:18080",
    path: "foo",
    familiar: "xn--n3h.com:18080/foo",
  }),
  valid("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "upstream: a multi-label host and a deep path", {
    domain: "sub-dom1.foo.com",
    path: "bar/baz/quux",
    tag: "some-long-tag",
    familiar: "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
  }),
  valid(
    "b.gcr.io/test.example.com/my-app:test.example.com",
    "upstream: dots in path and tag are not a host",
    {
      domain: "b.gcr.io",
      path: "test.example.com/my-app",
      tag: "test.example.com",
      familiar: "b.gcr.io/test.example.com/my-app:test.example.com",
    },
  ),
  valid(
    "foo_bar.com/x",
    "upstream: '.' makes foo_bar.com a registry, but it is no valid host, so Parse reads it all as path",
    { domain: "", path: "foo_bar.com/x", familiar: "foo_bar.com/x" },
  ),
  valid("foo_bar.com:8080", "upstream: one component, so an official image foo_bar.com with tag 8080", {
    domain: "docker.io",
    path: "library/foo_bar.com",
    tag: "8080",
    familiar: "foo_bar.com:8080",
  }),
  valid("foo/foo_bar.com:8080", "upstream: foo is a namespace, foo_bar.com a name, 8080 a tag", {
    domain: "docker.io",
    path: "foo/foo_bar.com",
    tag: "8080",
    familiar: "foo/foo_bar.com:8080",
  }),
  // --- Ports and IP addresses ---
  valid("127.0.0.1:5000/docker/docker", "upstream: IPv4 host with a port", {
    domain: "127.0.0.1:5000",
    path: "docker/docker",
    familiar: "127.0.0.1:5000/docker/docker",
  }),
  valid("127.0.0.1:5000/debian", "upstream: no library/ on a private registry", {
    domain: "127.0.0.1:5000",
    path: "debian",
    familiar: "127.0.0.1:5000/debian",
  }),
  valid("192.168.1.1/repo", "upstream: IPv4 host without a port", {
    domain: "192.168.1.1",
    path: "repo",
    familiar: "192.168.1.1/repo",
  }),
  valid("192.168.1.1:5000/repo:5050", "upstream: port on the host, digits as the tag", {
    domain: "192.168.1.1:5000",
    path: "repo",
    tag: "5050",
    familiar: "192.168.1.1:5000/repo:5050",
  }),
  valid("192.168.0.1", "upstream: a lone IPv4 address is one component, an official image name", {
    domain: "docker.io",
    path: "library/192.168.0.1",
    familiar: "192.168.0.1",
  }),
  valid("192.168.0.1:80", "upstream: a lone address with a port is a name with a tag", {
    domain: "docker.io",
    path: "library/192.168.0.1",
    tag: "80",
    familiar: "192.168.0.1:80",
  }),
  // --- IPv6 ---
  valid("[fc00::1]:5000/docker", "upstream: bracketed IPv6 host with a port", {
    domain: "[fc00::1]:5000",
    path: "docker",
    familiar: "[fc00::1]:5000/docker",
  }),
  valid("[fc00:1:2:3:4:5:6:7]:5000/library/debian", "upstream: uncompressed IPv6; library/ kept off Hub", {
    domain: "[fc00:1:2:3:4:5:6:7]:5000",
    path: "library/debian",
    familiar: "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
  }),
  valid("[2001:db8::1]/repo", "upstream: bracketed IPv6 host without a port", {
    domain: "[2001:db8::1]",
    path: "repo",
    familiar: "[2001:db8::1]/repo",
  }),
  valid("[::1]:5000/repo:tag", "upstream: IPv6 loopback with a port and a tag", {
    domain: "[::1]:5000",
    path: "repo",
    tag: "tag",
    familiar: "[::1]:5000/repo:tag",
  }),
  valid(`[2001:db8::1]:5000/repo:tag@sha256:${f64}`, "upstream: IPv6, port, tag and digest", {
    domain: "[2001:db8::1]:5000",
    path: "repo",
    tag: "tag",
    digest: `sha256:${f64}`,
    familiar: `[2001:db8::1]:5000/repo:tag@sha256:${f64}`,
  }),
  // --- Separators in path components ---
  valid("docker-rules/docker", "upstream: an embedded hyphen", {
    domain: "docker.io",
    path: "docker-rules/docker",
    familiar: "docker-rules/docker",
  }),
  valid("docker---rules/docker", "upstream: a run of hyphens is one separator", {
    domain: "docker.io",
    path: "docker---rules/docker",
    familiar: "docker---rules/docker",
  }),
  valid("dock__er/docker", "upstream: a double underscore is a separator", {
    domain: "docker.io",
    path: "dock__er/docker",
    familiar: "dock__er/docker",
  }),
  valid(
    "x/a.b_c__d--e",
    "'.', '_', '__' and '-' runs in one component (not the first: '.' would make it a host)",
    {
      domain: "docker.io",
      path: "x/a.b_c__d--e",
      familiar: "x/a.b_c__d--e",
    },
  ),
  valid("d/docker", "upstream: one-character namespace", {
    domain: "docker.io",
    path: "d/docker",
    familiar: "d/docker",
  }),
  valid("jess/t", "upstream: one-character name", {
    domain: "docker.io",
    path: "jess/t",
    familiar: "jess/t",
  }),
  // --- Hex-looking names ---
  valid(`docker.io/${imageId}`, "upstream: 64 hex with a domain is a name, not an image ID", {
    domain: "docker.io",
    path: `library/${imageId}`,
    familiar: imageId,
  }),
  valid(`${imageId}:latest`, "a tag makes 64 hex a name: only the bare identifier is refused", {
    domain: "docker.io",
    path: `library/${imageId}`,
    tag: "latest",
    familiar: `${imageId}:latest`,
  }),
  valid(hex64.slice(0, 63), "upstream: 63 hex characters are a name", {
    domain: "docker.io",
    path: `library/${hex64.slice(0, 63)}`,
    familiar: hex64.slice(0, 63),
  }),
  valid(
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "upstream: 64 non-hex is a name",
    {
      domain: "docker.io",
      path: "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
      familiar: "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    },
  ),
  // --- Tags ---
  valid("lowercase:Uppercase", "upstream: a tag may have upper case", {
    domain: "docker.io",
    path: "library/lowercase",
    tag: "Uppercase",
    familiar: "lowercase:Uppercase",
  }),
  valid("redis:_under.score-dash", "a tag may start with '_' and hold '.' and '-'", {
    domain: "docker.io",
    path: "library/redis",
    tag: "_under.score-dash",
    familiar: "redis:_under.score-dash",
  }),
  valid(`ghcr.io/a/b:${tag128}`, "a tag of exactly 128 characters", {
    domain: "ghcr.io",
    path: "a/b",
    tag: tag128,
    familiar: `ghcr.io/a/b:${tag128}`,
  }),
  // --- Digests ---
  valid(`redis@${sha256}`, "upstream: a sha256 digest, 64 lower-case hex", {
    domain: "docker.io",
    path: "library/redis",
    digest: sha256,
    familiar: `redis@${sha256}`,
  }),
  valid(`dmcgowan/myapp@${sha256}`, "upstream: a digest on a namespaced Hub image", {
    domain: "docker.io",
    path: "dmcgowan/myapp",
    digest: sha256,
    familiar: `dmcgowan/myapp@${sha256}`,
  }),
  valid(`busybox:latest@${busyboxDigest}`, "upstream: a tag together with a digest keeps both", {
    domain: "docker.io",
    path: "library/busybox",
    tag: "latest",
    digest: busyboxDigest,
    familiar: `busybox:latest@${busyboxDigest}`,
  }),
  valid(`xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`, "upstream: a sha512 digest is 128 hex", {
    domain: "xn--7o8h.com",
    path: "myimage",
    tag: "xn--7o8h.com",
    digest: sha512,
    familiar: `xn--7o8h.com/myimage:xn--7o8h.com@${sha512}`,
  }),
  valid(`quay.io/x/y@${sha384}`, "a sha384 digest is 96 hex", {
    domain: "quay.io",
    path: "x/y",
    digest: sha384,
    familiar: `quay.io/x/y@${sha384}`,
  }),
  // --- Length limit (RepositoryNameTotalLengthMax, on the path only) ---
  valid(a247, "library/ + 247 characters is a path of exactly 255", {
    domain: "docker.io",
    path: `library/${a247}`,
    familiar: a247,
  }),
  valid(`example.com/${a255}:tag`, "upstream: a 255-character path; the domain does not count", {
    domain: "example.com",
    path: a255,
    tag: "tag",
    familiar: `example.com/${a255}:tag`,
  }),
  valid(`${deepPath}:tag-puts-this-over-max`, "upstream: a 255-character path; the tag does not count", {
    domain: "docker.io",
    path: deepPath,
    tag: "tag-puts-this-over-max",
    familiar: `${deepPath}:tag-puts-this-over-max`,
  }),

  // ===== Invalid =====
  invalid("", "upstream: the empty string", format),
  invalid(imageId, "upstream: a bare 64-hex string is an image ID", /64-character hexadecimal/),
  invalid("https://github.com/docker/docker", "upstream: a URL is not a reference", format),
  invalid("docker/Docker", "upstream: upper case in the repository path", lowercase),
  invalid("docker.io/docker/Docker", "upstream: upper case in the path under a domain", lowercase),
  invalid("test:5000/Uppercase/lowercase:tag", "upstream: upper case in the path after a port", lowercase),
  invalid("Uppercase:tag", "upstream: a one-component name is a path, so it must be lower case", lowercase),
  invalid("Docker/Docker", "upper case in the path even when the domain has upper case", lowercase),
  invalid("-docker", "upstream: leading separator", format),
  invalid("-docker/docker", "upstream: leading hyphen in the namespace", format),
  invalid("docker-/docker", "upstream: trailing hyphen in the namespace", format),
  invalid("-docker-/docker", "upstream: leading and trailing hyphens", format),
  invalid("docker/docker_", "trailing underscore in the name", format),
  invalid("docker/.docker", "leading period in the name", format),
  invalid("-docker.io/docker/docker", "upstream: a host may not start with a hyphen", format),
  invalid("docker///docker", "upstream: empty path components", format),
  invalid("docker.io/docker///docker", "upstream: empty path components under a domain", format),
  invalid("____/____", "upstream: underscores alone are not a component", format),
  invalid("_docker/_docker", "upstream: leading underscore", format),
  invalid("dock___er/docker", "three underscores are not a separator", format),
  invalid("dock..er/docker", "upstream: two periods in a row", format),
  invalid("dock_.er/docker", "upstream: mixed separators in a row", format),
  invalid("dock-.er/docker", "upstream: a hyphen then a period", format),
  invalid("docker/", "upstream: no repository after the slash", format),
  invalid("/docker", "a leading slash", format),
  invalid("aa/asdf$$^/aa", "upstream: characters outside the grammar", format),
  invalid("foo bar", "a space", format),
  invalid(`${longNamespace}/docker`, "upstream: namespace too long", tooLong),
  invalid("a".repeat(248), "library/ + 248 characters is a 256-character path", tooLong),
  invalid(`example.com/${"a".repeat(256)}:tag`, "upstream: a 256-character path under a domain", tooLong),
  invalid("[fc00::1]", "upstream: a lone IPv6 address is not a name", format),
  invalid("[fc00::1]:5000", "upstream: a lone IPv6 address with a port is not a name", format),
  invalid("[2001:db8::1]:tag", "upstream: an IPv6 host needs a path", format),
  invalid("fc00::1:5000/debian", "upstream: IPv6 without brackets", format),
  invalid("[fe80::1%eth0]:5000/debian", "upstream: IPv6 zone identifiers are excluded", format),
  invalid("[fe80::1%@invalidzone]:5000/repo", "upstream: a zone with '@'", /invalid/),
  invalid("[2001:db8:3:4::192.0.2.33]:5000/debian", "upstream: IPv4-mapped IPv6 is excluded", format),
  invalid("example.com:port/foo", "a port is digits only", format),
  invalid(`ghcr.io/a/b:${tag129}`, "a tag of 129 characters", /tag must not be more than 128 characters/),
  invalid("foo:-tag", "a tag may not start with '-'", /invalid tag/),
  invalid("foo:.tag", "a tag may not start with '.'", /invalid tag/),
  invalid("foo:", "an empty tag", /invalid tag/),
  invalid(":justtag", "upstream: a tag without a name", format),
  invalid(`@sha256:${f64}`, "upstream: a digest without a name", format),
  invalid(`repo@sha256:${"f".repeat(34)}`, "upstream: a short sha256 encoding", /invalid sha256 digest/),
  invalid(`repo@sha256:${"f".repeat(31)}`, "fewer than 32 hex characters fail the grammar", /invalid digest/),
  invalid(`repo@sha256:${"F".repeat(64)}`, "upper-case hex in a sha256 digest", /invalid sha256 digest/),
  invalid(`repo@sha256:${f64}0`, "65 hex characters for sha256", /invalid sha256 digest/),
  invalid(`repo@sha512:${f64}`, "sha512 wants 128 hex characters", /invalid sha512 digest/),
  invalid(`validname@invaliddigest:${f64}`, "upstream: unknown algorithm", /unsupported digest algorithm/),
  invalid(`repo@md5:${"f".repeat(32)}`, "md5 is no registered algorithm", /unsupported digest algorithm/),
  invalid(`repo@sha256:${"g".repeat(64)}`, "non-hex characters in the encoding", /invalid digest/),
  invalid(`repo@${f64}`, "a digest needs its algorithm", /invalid digest/),
  invalid(`repo@sha256:${f64}:tag`, "the tag comes before the digest", /invalid digest/),
  invalid(`repo@sha256:${f64}@sha256:${f64}`, "two digests", /invalid digest/),
];

function expectedCanonical(c: Expected): string {
  const name = c.domain === "" ? c.path : `${c.domain}/${c.path}`;
  return name + (c.tag !== undefined ? `:${c.tag}` : "") + (c.digest !== undefined ? `@${c.digest}` : "");
}

describe("parseReference, as ParseNormalizedNamed", () => {
  it("has at least 60 cases, valid and invalid, each with a reason and a distinct input", () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    assert.ok(cases.some((c) => c.kind === "valid"));
    assert.ok(cases.some((c) => c.kind === "invalid"));
    for (const c of cases) assert.ok(c.reason.length > 0);
    assert.equal(new Set(cases.map((c) => c.input)).size, cases.length, "duplicate inputs");
  });

  for (const c of cases) {
    const label = `${c.kind}: ${JSON.stringify(c.input.length > 80 ? `${c.input.slice(0, 77)}...` : c.input)}: ${c.reason}`;
    it(label, () => {
      if (c.kind === "invalid") {
        assert.throws(
          () => parseReference(c.input),
          (error: unknown) => {
            assert.ok(
              error instanceof InvalidReferenceError,
              `not an InvalidReferenceError: ${String(error)}`,
            );
            assert.equal(error.input, c.input);
            assert.equal(error.code, "INVALID_REFERENCE");
            assert.match(error.reason, c.error);
            return true;
          },
        );
        assert.equal(tryParseReference(c.input), undefined);
        return;
      }
      const ref = parseReference(c.input);
      const canonical = expectedCanonical(c);
      assert.equal(ref.domain, c.domain, "domain");
      assert.equal(ref.path, c.path, "path");
      assert.equal(ref.name, c.domain === "" ? c.path : `${c.domain}/${c.path}`, "name");
      assert.equal(ref.tag, c.tag, "tag");
      assert.equal(ref.digest, c.digest, "digest");
      assert.equal(formatReference(ref), canonical, "canonical");
      assert.equal(familiarString(ref), c.familiar, "familiar");
      // Both forms read back to the same reference (TestParseRepositoryInfo does the same).
      assert.deepEqual(parseReference(canonical), ref, "canonical round trip");
      // Except a familiar form that is a bare 64-hex string: upstream refuses that one too.
      if (!/^[a-f0-9]{64}$/.test(c.familiar)) {
        assert.deepEqual(parseReference(c.familiar), ref, "familiar round trip");
      }
    });
  }
});

describe("familiar forms", () => {
  const table: ReadonlyArray<{ input: string; familiarName: string; reason: string }> = [
    { input: "docker.io/library/redis", familiarName: "redis", reason: "docker.io and library/ dropped" },
    { input: "docker.io/dmcgowan/myapp", familiarName: "dmcgowan/myapp", reason: "docker.io dropped" },
    {
      input: "docker.io/library/foo/bar",
      familiarName: "library/foo/bar",
      reason: "library/ kept when more than one component follows",
    },
    {
      input: "ghcr.io/library/redis",
      familiarName: "ghcr.io/library/redis",
      reason: "only Hub is shortened",
    },
    { input: "127.0.0.1:8000/privatebase", familiarName: "127.0.0.1:8000/privatebase", reason: "private" },
    { input: "FOO/bar", familiarName: "FOO/bar", reason: "upstream: an upper-case registry stays" },
  ];
  for (const row of table) {
    it(`${row.input}: ${row.reason}`, () => {
      assert.equal(familiarName(parseReference(row.input)), row.familiarName);
    });
  }
});

describe("checkDigest", () => {
  const table: ReadonlyArray<{ digest: string; ok: boolean; reason: string }> = [
    { digest: sha256, ok: true, reason: "sha256, 64 lower-case hex" },
    { digest: sha384, ok: true, reason: "sha384, 96 hex" },
    { digest: sha512, ok: true, reason: "sha512, 128 hex" },
    { digest: sha256.toUpperCase(), ok: false, reason: "upper-case algorithm is not registered" },
    { digest: `sha256:${hex64.toUpperCase()}`, ok: false, reason: "upper-case hex" },
    { digest: `sha256:${hex64.slice(1)}`, ok: false, reason: "63 hex" },
    { digest: `sha256+b64:${hex64}`, ok: false, reason: "unregistered algorithm" },
    { digest: "sha256:", ok: false, reason: "empty encoding" },
    { digest: hex64, ok: false, reason: "no algorithm" },
  ];
  for (const row of table) {
    it(`${row.digest.slice(0, 20)}...: ${row.reason}`, () => {
      assert.equal(checkDigest(row.digest) === undefined, row.ok);
    });
  }
});
