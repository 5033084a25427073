import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseChallenges, pickChallenge } from "../../src/registry/auth/challenge.js";
import { refreshTimeOf } from "../../src/registry/auth/token-cache.js";
import { redactUrl } from "../../src/registry/errors.js";
import { apiHostOf, isInsecureHost, isLoopbackHost, registryKeyOf } from "../../src/registry/hosts.js";
import { parseRateLimit } from "../../src/registry/rate-limit.js";
import { parseErrorDetails } from "../../src/registry/response.js";
import { backoffDelay, parseRetryAfter } from "../../src/registry/retry.js";
import { parseNextLink } from "../../src/registry/tags.js";

describe("WWW-Authenticate challenges", () => {
  const cases: [string, string | string[], { scheme: string; params: Record<string, string> }[]][] = [
    [
      "Docker Hub's bearer challenge",
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/mysql:pull"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://auth.docker.io/token",
            service: "registry.docker.io",
            scope: "repository:library/mysql:pull",
          },
        },
      ],
    ],
    ["basic", 'Basic realm="basic-realm"', [{ scheme: "basic", params: { realm: "basic-realm" } }]],
    [
      "a scope with several actions keeps its commas (quoted)",
      'Bearer realm="https://ghcr.io/token",scope="repository:a/b:pull,push",error="insufficient_scope"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "https://ghcr.io/token",
            scope: "repository:a/b:pull,push",
            error: "insufficient_scope",
          },
        },
      ],
    ],
    [
      "two challenges in one header, unquoted values, odd spacing",
      'Basic realm=x , Bearer realm="https://r/t", service = svc',
      [
        { scheme: "basic", params: { realm: "x" } },
        { scheme: "bearer", params: { realm: "https://r/t", service: "svc" } },
      ],
    ],
    ["escaped quote", 'Bearer realm="a\\"b"', [{ scheme: "bearer", params: { realm: 'a"b' } }]],
    [
      "several headers",
      ["Basic realm=a", "Bearer realm=b"],
      [
        { scheme: "basic", params: { realm: "a" } },
        { scheme: "bearer", params: { realm: "b" } },
      ],
    ],
  ];
  for (const [name, header, expected] of cases) {
    test(name, () => assert.deepEqual(parseChallenges(header), expected));
  }
  test("bearer is preferred over basic; unknown schemes are not answered", () => {
    assert.equal(pickChallenge(parseChallenges("Basic realm=a, Bearer realm=b"))?.scheme, "bearer");
    assert.equal(pickChallenge(parseChallenges("Negotiate abc")), undefined);
    assert.equal(pickChallenge(parseChallenges(undefined)), undefined);
  });
});

describe("headers and small parsers", () => {
  test("ratelimit-limit / ratelimit-remaining", () => {
    assert.deepEqual(
      parseRateLimit({ "ratelimit-limit": "100;w=21600", "ratelimit-remaining": "76;w=21600" }, 5),
      {
        limit: 100,
        remaining: 76,
        windowSeconds: 21600,
        observedAt: 5,
      },
    );
    assert.deepEqual(parseRateLimit({ "ratelimit-limit": "200", "ratelimit-remaining": "0" }, 1), {
      limit: 200,
      remaining: 0,
      observedAt: 1,
    });
    assert.equal(parseRateLimit({ "ratelimit-limit": "100;w=21600" }, 1), undefined);
    assert.equal(parseRateLimit({ "ratelimit-limit": "lots", "ratelimit-remaining": "1" }, 1), undefined);
  });

  test("Retry-After in seconds or as an HTTP date", () => {
    assert.equal(parseRetryAfter("3", 0), 3000);
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", now), 10_000);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
    assert.equal(parseRetryAfter("soon", 0), undefined);
  });

  test("backoff grows exponentially, stays under its cap, and has full jitter (0 up to the ceiling)", () => {
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 0.5),
      400,
    );
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(20, 100, 10_000, () => 1),
      10_000,
    );
    assert.notEqual(
      backoffDelay(2, 100, 10_000, () => 0),
      backoffDelay(2, 100, 10_000, () => 1),
    );
  });

  test("Link: rel=next", () => {
    assert.equal(parseNextLink('</v2/a/tags/list?n=2&last=b>; rel="next"'), "/v2/a/tags/list?n=2&last=b");
    assert.equal(parseNextLink("<https://r/x?last=a,b>; rel=next"), "https://r/x?last=a,b");
    assert.equal(parseNextLink('</prev>; rel="prev", </next>; rel="next"'), "/next");
    assert.equal(parseNextLink('</prev>; rel="prev"'), undefined);
    assert.equal(parseNextLink(undefined), undefined);
  });

  test("spec error bodies", () => {
    assert.deepEqual(parseErrorDetails('{"errors":[{"code":"DENIED","message":"no","detail":{}}]}'), [
      { code: "DENIED", message: "no" },
    ]);
    assert.deepEqual(parseErrorDetails("<html>oops</html>"), []);
    assert.deepEqual(parseErrorDetails('{"errors":[{"message":"no code"}]}'), []);
  });

  test("URLs in errors lose userinfo and query (upload state, presigned signatures)", () => {
    assert.equal(
      redactUrl("https://user:pw@r.example/v2/a/blobs/uploads/x?_state=SECRET&digest=sha256:1"),
      "https://r.example/v2/a/blobs/uploads/x?…",
    );
    assert.equal(redactUrl("http://127.0.0.1:5000/v2/"), "http://127.0.0.1:5000/v2/");
  });

  test("token refresh happens before expires_in runs out", () => {
    assert.equal(refreshTimeOf(0, 300), 270_000);
    assert.equal(refreshTimeOf(0, 60), 45_000);
    assert.equal(refreshTimeOf(1000, 1), 1750);
  });
});

describe("hosts", () => {
  test("loopback is localhost, 127.0.0.0/8 and ::1, with or without a port", () => {
    for (const host of ["localhost", "localhost:5000", "127.0.0.1:5000", "127.1.2.3", "[::1]:5000", "::1"]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [
      "ghcr.io",
      "128.0.0.1",
      "127.0.0.256",
      "127.0.0.1.example.com",
      "localhost.example.com",
      "10.0.0.1:5000",
      "[fd00::2]:5000",
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  test("insecure hosts match by host:port or by name", () => {
    assert.equal(isInsecureHost("reg.local:5000", ["reg.local:5000"]), true);
    assert.equal(isInsecureHost("reg.local:5000", ["reg.local"]), true);
    assert.equal(isInsecureHost("reg.local:5000", ["reg.local:6000"]), false);
    assert.equal(isInsecureHost("other.local", ["reg.local"]), false);
  });

  test("Docker Hub is served at registry-1.docker.io and counted as docker.io", () => {
    assert.equal(apiHostOf("docker.io"), "registry-1.docker.io");
    assert.equal(apiHostOf("ghcr.io"), "ghcr.io");
    assert.equal(registryKeyOf("index.docker.io"), "docker.io");
    assert.equal(registryKeyOf("registry-1.docker.io"), "docker.io");
  });
});
