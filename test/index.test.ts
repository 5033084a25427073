import assert from "node:assert/strict";
import { test } from "node:test";
import * as crossdock from "../src/index.js";

/**
 * The public entry point names one call per command and keeps internals out (issue 13, item 7).
 * The full surface, types included, is reviewed in etc/crossdock.api.md; this checks what a
 * JavaScript user sees at run time.
 */
const api: Record<string, unknown> = crossdock;

test("every command's library call is exported as a function", () => {
  const entryPoints = [
    "parseReference",
    "formatReference",
    "inspectImage",
    "copyImage",
    "openLocation",
    "openOciLayout",
    "planSyncMappings",
    "sync",
    "scanRepository",
    "rewriteProject",
    "verifyRepository",
    "migrate",
    "planMigration",
    "copyPlanned",
    "switchReferences",
    "forecastSwitch",
    "projectStatus",
    "findDrift",
    "rollbackProject",
    "initConfig",
    "startRegistryServer",
    "createCredentialSource",
  ];
  for (const name of entryPoints) assert.equal(typeof api[name], "function", name);
  assert.equal(typeof crossdock.RegistryClient.prototype.listTags, "function");
});

test("the error classes extend CrossdockError", () => {
  for (const error of [
    crossdock.UsageError,
    crossdock.ConfigError,
    crossdock.InvalidReferenceError,
    crossdock.RegistryError,
    crossdock.ImageNotFoundError,
    crossdock.FileChangedError,
  ]) {
    assert.ok(error.prototype instanceof crossdock.CrossdockError, error.name);
  }
});

test("internals stay out of the public entry point", () => {
  for (const name of ["escapeFor", "lineOf", "mergeImages", "createPullBudgets", "resolveClientOptions"]) {
    assert.equal(name in api, false, name);
  }
});
