import {
  findRule,
  type MappingRule,
  type Prefix,
  parsePrefix,
  prefixMatches,
} from "../../reference/mapping.js";
import { familiarName, parseReference } from "../../reference/reference.js";
import { readPrefix } from "./mappings.js";
import type { ConfigField, ConfigReader } from "./nodes.js";
import { suggestName } from "./suggest.js";
import type { CrossdockConfig, MirrorPathRule, ThirdPartyPolicy } from "./types.js";

const thirdPartyFields = ["action", "mirror", "path"] as const;
const pathRules: readonly MirrorPathRule[] = ["with-host", "without-host"];
const actions = ["leave", "mirror"] as const;

/**
 * Reads `thirdParty:`. `action` is required once the section is there (a `mirror` alone must not
 * silently mean "leave"); `mirror` is required for `action: mirror` and ignored for `leave`, so the
 * prefix can stay in the file while the action is switched; `path` (default `with-host`) is the
 * MirrorPathRule. The mirror must not lie under a mapping's
 * `from`, or a second rewrite would move the mirrored names again.
 */
export function readThirdParty(
  reader: ConfigReader,
  field: ConfigField,
  rules: readonly MappingRule[],
): ThirdPartyPolicy | undefined {
  const fields = reader.fields(field, thirdPartyFields);
  if (fields === undefined) return undefined;
  const actionField = fields.get("action");
  const mirrorField = fields.get("mirror");
  const mirror = mirrorField === undefined ? undefined : readPrefix(reader, mirrorField);
  const pathField = fields.get("path");
  const pathRule = pathField === undefined ? "with-host" : reader.string(pathField);
  const path = pathRules.find((rule) => rule === pathRule);
  if (pathField !== undefined && pathRule !== undefined && path === undefined) {
    const suggestion = suggestName(pathRule, pathRules);
    reader.report(
      pathField,
      `want ${pathRules.join(" or ")}${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}`,
    );
  }
  if (actionField === undefined) {
    reader.report(field, `missing "action" (${actions.join(" or ")})`);
    return undefined;
  }
  const action = reader.string(actionField);
  if (action === undefined) return undefined;
  if (action === "leave") return { action };
  if (action !== "mirror") {
    const suggestion = suggestName(action, actions);
    reader.report(
      actionField,
      `want ${actions.join(" or ")}${suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`}`,
    );
    return undefined;
  }
  if (mirrorField === undefined) {
    reader.report(
      actionField,
      'action "mirror" needs "mirror": the prefix to copy third-party images under, such as ghcr.io/OWNER/REPO/mirror (GHCR has no library/ for Docker Hub official images)',
    );
    return undefined;
  }
  if (mirror === undefined || path === undefined) return undefined;
  const under = rules.find((rule) => prefixMatches(rule.from, mirror.text));
  if (under !== undefined) {
    reader.report(
      mirrorField,
      `"${mirror.text}" lies under the mapping from "${under.from.text}": the mirrored names would be moved again`,
    );
    return undefined;
  }
  return { action, mirror, path };
}

/**
 * The path an image gets under a mirror prefix. A Docker Hub image goes by its familiar name, so
 * `docker.io/library/mysql` becomes `mysql` (GHCR has no `library/`) and `docker.io/bitnami/postgresql`
 * stays `bitnami/postgresql`. With `with-host` (the default), an image from another registry keeps
 * its host as the first component (`quay.io/prometheus/node-exporter`), with a port's ':' as '-'
 * (`localhost-5000/tool`): a repository path component is lower-case letters and digits joined by
 * '.', '_', '__' or '-', never ':' (the `<name>` grammar of
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests, which
 * GHCR follows), so the host stays readable and two registries' `org/app` never meet. With
 * `without-host` the host is dropped (`prometheus/node-exporter`).
 */
export function mirrorPath(imageName: string, rule: MirrorPathRule = "with-host"): string {
  const ref = parseReference(imageName);
  if (rule === "without-host") return familiarName({ domain: "docker.io", path: ref.path });
  return familiarName(ref).replace(/:/g, "-");
}

/**
 * The rule that mirrors one third-party image (`docker.io/library/mysql` to `<mirror>/mysql`) when
 * `thirdParty.action` is mirror; undefined when it is leave, when a mapping already covers the name,
 * or when the name already lies under the mirror or a mapping's target. The caller decides what is
 * third-party (scan's category, after `categoryOverrides`). Throws InvalidReferenceError for a name
 * that is not an image name, or one too long once under the mirror.
 */
export function mirrorRule(
  config: Pick<CrossdockConfig, "thirdParty" | "rules">,
  imageName: string,
): MappingRule | undefined {
  if (config.thirdParty.action !== "mirror") return undefined;
  const mirror = config.thirdParty.mirror;
  const ref = parseReference(imageName);
  if (findRule(config.rules, ref.name) !== undefined) return undefined;
  if (prefixMatches(mirror, ref.name) || config.rules.some((rule) => prefixMatches(rule.to, ref.name))) {
    return undefined;
  }
  const from: Prefix = { domain: ref.domain, path: ref.path, text: ref.name };
  return { from, to: parsePrefix(`${mirror.text}/${mirrorPath(ref.name, config.thirdParty.path)}`) };
}
