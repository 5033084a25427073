import { promises as fs } from "node:fs";
import path from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import { UsageError } from "../../errors.js";
import { InvalidReferenceError } from "../../reference/errors.js";
import { parsePrefix } from "../../reference/mapping.js";
import { parseReference } from "../../reference/reference.js";
import type { CategoryOverride } from "../../scan/categorize.js";
import type { Owner, Usage } from "../../scan/types.js";
import { ConfigError } from "./error.js";
import { readMappings } from "./mappings.js";
import { type ConfigField, ConfigReader } from "./nodes.js";
import { mapCredentialEnv, readRegistries } from "./registries.js";
import { suggestName } from "./suggest.js";
import { readThirdParty } from "./third-party.js";
import { type CrossdockConfig, type Phase, phases, type ThirdPartyPolicy } from "./types.js";

/** The file names `findConfig` looks for, in order. */
export const configFileNames = ["crossdock.yaml", "crossdock.yml"] as const;

/** The format version this code reads; `version:` is optional, and any other value is refused. */
export const configVersion = 1;

const topFields = [
  "version",
  "phase",
  "mappings",
  "thirdParty",
  "registries",
  "paths",
  "categories",
] as const;
const pathFields = ["include", "exclude"] as const;
const owners: readonly Owner[] = ["own", "third-party"];
const usageNames: readonly Usage[] = ["core", "example", "test", "docs"];
const categoryFields = ["owner", "usage"] as const;

/**
 * Parses and validates crossdock.yaml text. Pure: `file` only names the file in messages. Every
 * problem (YAML syntax, unknown or mistyped fields, bad prefixes, regular expressions, ranges) is
 * collected and thrown together as one ConfigError, each with its line, column and field path.
 */
export function parseConfig(text: string, file: string): CrossdockConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter: lines, prettyErrors: false });
  const reader = new ConfigReader(doc, lines);
  for (const error of doc.errors) reader.reportAt(error.pos[0], "", `YAML syntax: ${error.message}`);
  if (reader.issues.length > 0) throw new ConfigError(file, reader.issues);

  const root: ConfigField = { path: "", value: doc.contents ?? undefined };
  const fields = doc.contents === null ? new Map<string, ConfigField>() : reader.fields(root, topFields);
  const field = (name: (typeof topFields)[number]): ConfigField | undefined => fields?.get(name);

  const versionField = field("version");
  const version = versionField === undefined ? configVersion : reader.number(versionField);
  if (versionField !== undefined && version !== undefined && version !== configVersion) {
    reader.report(versionField, `this crossdock reads version ${configVersion} only`);
  }
  const mappingsField = field("mappings");
  const mappings = mappingsField === undefined ? [] : readMappings(reader, mappingsField);
  const rules = mappings.map((mapping) => mapping.rule);
  const thirdPartyField = field("thirdParty");
  const thirdParty: ThirdPartyPolicy | undefined =
    thirdPartyField === undefined ? { action: "leave" } : readThirdParty(reader, thirdPartyField, rules);
  const registriesField = field("registries");
  const registries = registriesField === undefined ? [] : readRegistries(reader, registriesField);
  const paths = readPaths(reader, field("paths"));
  const categoriesField = field("categories");
  const categoryOverrides =
    categoriesField === undefined
      ? new Map<string, CategoryOverride>()
      : readCategories(reader, categoriesField);

  const phase = readPhase(reader, field("phase"));

  if (reader.issues.length > 0 || thirdParty === undefined) {
    const issues = [...reader.issues].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(file, issues);
  }
  return {
    file,
    rules,
    mappings,
    thirdParty,
    registries,
    insecureRegistries: registries.filter((registry) => registry.insecure).map((registry) => registry.host),
    include: paths.include,
    exclude: paths.exclude,
    categoryOverrides,
    ...(phase ? { phase } : {}),
    credentialEnv: (env) => mapCredentialEnv(registries, env),
  };
}

/** Reads and parses a config file. A file that cannot be read is a UsageError naming it (exit 2). */
export async function loadConfig(
  file: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<CrossdockConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, {
      encoding: "utf8",
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read it";
    throw new UsageError(`${file}: ${reason}`, { cause: error, code: "CONFIG_UNREADABLE" });
  }
  return parseConfig(text, file);
}

/**
 * The config file of a directory: `crossdock.yaml`, or `crossdock.yml`; undefined when there is
 * neither. Both at once is a UsageError: which one wins would be a guess.
 */
export async function findConfig(dir: string): Promise<string | undefined> {
  const found: string[] = [];
  for (const name of configFileNames) {
    const candidate = path.join(dir, name);
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (stat?.isFile()) found.push(candidate);
  }
  if (found.length > 1) {
    throw new UsageError(`both ${found.join(" and ")} exist: keep one`, { code: "CONFIG_AMBIGUOUS" });
  }
  return found[0];
}

/** `paths:`: gitignore-style patterns; everything is included and nothing extra excluded by default. */
function readPaths(
  reader: ConfigReader,
  field: ConfigField | undefined,
): { include: readonly string[]; exclude: readonly string[] } {
  const fields = field === undefined ? undefined : reader.fields(field, pathFields);
  const include = fields?.get("include");
  const exclude = fields?.get("exclude");
  return {
    include: (include === undefined ? undefined : reader.strings(include)) ?? ["**"],
    exclude: (exclude === undefined ? undefined : reader.strings(exclude)) ?? [],
  };
}

/**
 * `categories:`: image name to what it is. A name is normalized as docker reads it (`mysql` is
 * `docker.io/library/mysql`); a key ending in '/' is a prefix instead (`docker.io/kubeflowkatib/`
 * covers that namespace), since a lone Docker Hub namespace would otherwise read as a library image.
 * A value is an owner (`own`, `third-party`), a usage (`core`, `example`, `test`, `docs`), or
 * `{owner, usage}` for both.
 */
function readCategories(reader: ConfigReader, field: ConfigField): Map<string, CategoryOverride> {
  const overrides = new Map<string, CategoryOverride>();
  const keys = new Map<string, string>();
  for (const [key, entry] of reader.entries(field) ?? []) {
    const keyField: ConfigField = { path: entry.path, key: entry.key };
    const name = normalizeCategoryKey(key);
    if (typeof name !== "string") reader.report(keyField, name.problem);
    else if (keys.has(name)) reader.report(keyField, `the same image as ${keys.get(name)} (${name})`);
    const category = readCategory(reader, entry);
    if (typeof name === "string" && !keys.has(name) && category !== undefined) {
      keys.set(name, entry.path);
      overrides.set(name, category);
    }
  }
  return overrides;
}

/** One `categories:` value: an owner, a usage, or a mapping with either or both. */
function readCategory(reader: ConfigReader, field: ConfigField): CategoryOverride | undefined {
  if (isMap(field.value)) {
    const fields = reader.fields(field, categoryFields);
    const ownerField = fields?.get("owner");
    const usageField = fields?.get("usage");
    const owner = ownerField === undefined ? undefined : readChoice(reader, ownerField, owners);
    const usage = usageField === undefined ? undefined : readChoice(reader, usageField, usageNames);
    if (ownerField === undefined && usageField === undefined)
      reader.report(field, 'want "owner", "usage" or both');
    return owner === undefined && usage === undefined
      ? undefined
      : { ...(owner ? { owner } : {}), ...(usage ? { usage } : {}) };
  }
  const value = readChoice(reader, field, [...owners, ...usageNames]);
  if (value === undefined) return undefined;
  return owners.includes(value as Owner) ? { owner: value as Owner } : { usage: value as Usage };
}

/** `phase:`: one of the four phases, or absent (nothing recorded). */
function readPhase(reader: ConfigReader, field: ConfigField | undefined): Phase | undefined {
  return field === undefined ? undefined : readChoice(reader, field, phases);
}

/** A string that must be one of `choices`; anything else is reported with the nearest choice. */
function readChoice<T extends string>(
  reader: ConfigReader,
  field: ConfigField,
  choices: readonly T[],
): T | undefined {
  const value = reader.string(field);
  const choice = choices.find((candidate) => candidate === value);
  if (value !== undefined && choice === undefined) {
    const suggestion = suggestName(value, choices);
    reader.report(
      field,
      `want ${choices.join(", ")}${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}`,
    );
  }
  return choice;
}

function normalizeCategoryKey(key: string): string | { problem: string } {
  try {
    // The trailing '/' stays: it is what marks a prefix key for categorize.
    if (key.endsWith("/")) return `${parsePrefix(key).text}/`;
    const ref = parseReference(key);
    if (ref.tag !== undefined || ref.digest !== undefined) {
      return { problem: "an image name without tag or digest: a category covers every tag" };
    }
    return ref.name;
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { problem: `invalid image name: ${error.reason}` };
    throw error;
  }
}
