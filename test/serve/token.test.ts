import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { signToken, type TokenClaims, verifyToken } from "../../src/serve/token.js";

const claims: TokenClaims = {
  iss: "crossdock",
  sub: "alice",
  aud: "crossdock",
  iat: 1000,
  exp: 1300,
  access: [{ type: "repository", name: "a/b", actions: ["pull"] }],
};

test("a token verifies with its key until it expires, and with no other key", () => {
  const key = randomBytes(32);
  const token = signToken(claims, key);
  assert.equal(token.split(".").length, 3, "a JWT");
  assert.deepEqual(verifyToken(token, key, 1299), claims);
  assert.equal(verifyToken(token, key, 1300), undefined, "expired");
  assert.equal(verifyToken(token, randomBytes(32), 1000), undefined, "another server's key");
  assert.equal(verifyToken(`${token}x`, key, 1000), undefined, "tampered signature");
  assert.equal(verifyToken("not.a.token", key, 1000), undefined);
});
