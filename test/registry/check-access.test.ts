import assert from "node:assert/strict";
import { test } from "node:test";
import { grantedActions } from "../../src/registry/check-access.js";

const jwt = (claims: unknown): string =>
  ["{}", JSON.stringify(claims)].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".sig";

test("grantedActions reads the JWT access claim for one repository only", () => {
  const token = jwt({
    access: [
      { type: "repository", name: "org/app", actions: ["pull"] },
      { type: "repository", name: "org/other", actions: ["push"] },
      { type: "registry", name: "catalog", actions: ["*"] },
      { type: "repository", name: "org/app", actions: ["push", "pull"] },
    ],
  });
  assert.deepEqual(grantedActions(token, "org/app"), ["pull", "push"]);
  assert.deepEqual(grantedActions(token, "org/none"), []);
  assert.deepEqual(grantedActions(jwt({ sub: "x" }), "org/app"), []);
  assert.equal(grantedActions("opaque-token", "org/app"), undefined);
  assert.equal(grantedActions("a.!!!.c", "org/app"), undefined);
  assert.equal(grantedActions(undefined, "org/app"), undefined);
});
