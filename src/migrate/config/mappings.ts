import { type TagPolicy, validateTagPolicy } from "../../copy/tag-filter.js";
import { UsageError } from "../../errors.js";
import { InvalidReferenceError } from "../../reference/errors.js";
import { anchoredRemoteName } from "../../reference/grammar.js";
import { type Prefix, parsePrefix, prefixMatches } from "../../reference/mapping.js";
import type { ConfigField, ConfigReader } from "./nodes.js";
import type { ConfigMapping } from "./types.js";

const mappingFields = ["from", "to", "repositories", "tags"] as const;
const tagFields = ["include", "exclude", "semver", "latest", "keepAttachmentTags"] as const;

/**
 * Reads `mappings:`: each entry's prefixes (parsePrefix), repositories and tag policy
 * (validateTagPolicy), and checks the rules against each other: no `from` twice, and no `to` under
 * a `from`, which would make a second rewrite move the names again.
 */
export function readMappings(reader: ConfigReader, field: ConfigField): ConfigMapping[] {
  const items = reader.items(field);
  if (items === undefined) return [];
  const mappings: Array<{ mapping: ConfigMapping; path: string; from: ConfigField; to: ConfigField }> = [];
  for (const item of items) {
    const read = readMapping(reader, item);
    if (read !== undefined) mappings.push({ ...read, path: item.path });
  }
  for (const [index, { mapping, from, to }] of mappings.entries()) {
    const earlier = mappings
      .slice(0, index)
      .find((other) => other.mapping.rule.from.text === mapping.rule.from.text);
    if (earlier !== undefined) {
      reader.report(from, `"${mapping.rule.from.text}" is already mapped by ${earlier.path}`);
    }
    const loop = mappings.find((other) => prefixMatches(other.mapping.rule.from, mapping.rule.to.text));
    if (loop !== undefined) {
      reader.report(
        to,
        `"${mapping.rule.to.text}" lies under ${loop.path}.from "${loop.mapping.rule.from.text}": a second run would move these names again`,
      );
    }
  }
  return mappings.map((entry) => entry.mapping);
}

function readMapping(
  reader: ConfigReader,
  item: ConfigField,
): { mapping: ConfigMapping; from: ConfigField; to: ConfigField } | undefined {
  const fields = reader.fields(item, mappingFields);
  if (fields === undefined) return undefined;
  const fromField = fields.get("from");
  const toField = fields.get("to");
  for (const [name, present] of [
    ["from", fromField],
    ["to", toField],
  ] as const) {
    if (present === undefined) reader.report(item, `missing "${name}" (a registry/namespace prefix)`);
  }
  const from = fromField === undefined ? undefined : readPrefix(reader, fromField);
  const to = toField === undefined ? undefined : readPrefix(reader, toField);
  const repositoriesField = fields.get("repositories");
  const repositories =
    repositoriesField === undefined || from === undefined
      ? undefined
      : readRepositories(reader, repositoriesField, from);
  const tagsField = fields.get("tags");
  const policy = tagsField === undefined ? {} : readTagPolicy(reader, tagsField);
  if (from === undefined || to === undefined || policy === undefined) return undefined;
  if (fromField === undefined || toField === undefined) return undefined;
  if (from.text === to.text) {
    reader.report(toField, `"to" is the same as "from" (${from.text}): nothing would move`);
    return undefined;
  }
  const mapping: ConfigMapping = {
    rule: { from, to },
    policy,
    ...(repositories === undefined ? {} : { repositories }),
  };
  return { mapping, from: fromField, to: toField };
}

/** A registry/namespace prefix, as `--map` and `--from`/`--to` read it. */
export function readPrefix(reader: ConfigReader, field: ConfigField): Prefix | undefined {
  const text = reader.string(field);
  if (text === undefined) return undefined;
  try {
    return parsePrefix(text);
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
    reader.report(field, `invalid prefix ${JSON.stringify(text)}: ${error.reason}`);
    return undefined;
  }
}

function readRepositories(reader: ConfigReader, field: ConfigField, from: Prefix): string[] | undefined {
  const items = reader.items(field);
  if (items === undefined) return undefined;
  const repositories: string[] = [];
  let ok = true;
  for (const item of items) {
    const name = reader.string(item);
    if (name === undefined) {
      ok = false;
      continue;
    }
    const problem = !anchoredRemoteName.test(name)
      ? "want a repository path under the mapping's from, such as katib-controller (lower case, no tag)"
      : repositories.includes(name)
        ? "listed twice"
        : checkFullName(from, name);
    if (problem === undefined) repositories.push(name);
    else {
      reader.report(item, `${JSON.stringify(name)}: ${problem}`);
      ok = false;
    }
  }
  return ok ? repositories : undefined;
}

function checkFullName(from: Prefix, name: string): string | undefined {
  try {
    parsePrefix(`${from.text}/${name}`);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error.reason;
    throw error;
  }
}

/** A tag policy, each field checked by validateTagPolicy on its own so every bad field is reported. */
function readTagPolicy(reader: ConfigReader, field: ConfigField): TagPolicy | undefined {
  const fields = reader.fields(field, tagFields);
  if (fields === undefined) return undefined;
  const policy: { -readonly [K in keyof TagPolicy]: TagPolicy[K] } = {};
  let ok = true;
  for (const [name, entry] of fields) {
    let part: TagPolicy | undefined;
    if (name === "latest") {
      const latest = reader.number(entry);
      part = latest === undefined ? undefined : { latest };
    } else if (name === "keepAttachmentTags") {
      const keep = reader.boolean(entry);
      part = keep === undefined ? undefined : { keepAttachmentTags: keep };
    } else {
      const text = reader.string(entry);
      part = text === undefined ? undefined : { [name]: text };
    }
    if (part === undefined || !checkTagPolicy(reader, entry, part)) {
      ok = false;
      continue;
    }
    Object.assign(policy, part);
  }
  return ok ? policy : undefined;
}

function checkTagPolicy(reader: ConfigReader, field: ConfigField, policy: TagPolicy): boolean {
  try {
    validateTagPolicy(policy);
    return true;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // validateTagPolicy speaks of the sync flags (`--semver: ...`); here the path names the field.
    reader.report(field, error.message.replace(/^--[a-z-]+: /, ""));
    return false;
  }
}
