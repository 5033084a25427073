import type { YAMLMap } from "yaml";
import { findingFor } from "../engine/finding.js";
import type { MapHook } from "../engine/yaml/images.js";
import { entries, get, isMap, isSeq, scalarSpot } from "../engine/yaml/nodes.js";
import type { ExtractContext, Finding, Role } from "../types.js";

/**
 * The image names in build tools' configuration files, which are not manifests: what skaffold
 * builds and pushes (`build.artifacts[].image`: https://skaffold.dev/docs/references/yaml/),
 * goreleaser's `dockers[].image_templates` and `docker_manifests[].name_template`
 * (https://goreleaser.com/customization/docker/), and ko's base images (`defaultBaseImage`,
 * `baseImageOverrides`: https://ko.build/configuration/). Undefined for any other file, which keeps
 * manifests on the fast path.
 */
export function buildToolHook(context: ExtractContext): MapHook | undefined {
  const base = context.file.slice(context.file.lastIndexOf("/") + 1).toLowerCase();
  if (/^skaffold\.ya?ml$/.test(base)) return (map, key, text) => skaffold(map, key, text, context);
  if (/^\.?goreleaser\.ya?ml$/.test(base)) return (map, key, text) => goreleaser(map, key, text, context);
  if (/^\.ko\.ya?ml$/.test(base)) return (map, key, text) => ko(map, key, text, context);
  return undefined;
}

function skaffold(map: YAMLMap, key: string | undefined, text: string, ctx: ExtractContext): Finding[] {
  return key === "artifacts" ? found(text, get(map, "image"), "skaffold artifacts image:", "push", ctx) : [];
}

function goreleaser(map: YAMLMap, key: string | undefined, text: string, ctx: ExtractContext): Finding[] {
  if (key === "dockers" || key === "docker_manifests") {
    const templates = get(map, "image_templates");
    const names = isSeq(templates) ? templates.items : [];
    return [
      ...found(text, get(map, "name_template"), `goreleaser ${key} name_template:`, "push", ctx),
      ...names.flatMap((item) => found(text, item, `goreleaser ${key} image_templates:`, "push", ctx)),
    ];
  }
  return [];
}

function ko(map: YAMLMap, key: string | undefined, text: string, ctx: ExtractContext): Finding[] {
  if (key !== undefined) return [];
  const overrides = get(map, "baseImageOverrides");
  return [
    ...found(text, get(map, "defaultBaseImage"), "ko defaultBaseImage:", "base", ctx),
    ...(isMap(overrides)
      ? entries(overrides).flatMap(([, v]) => found(text, v, "ko baseImageOverrides:", "base", ctx))
      : []),
  ];
}

function found(text: string, node: unknown, label: string, role: Role, ctx: ExtractContext): Finding[] {
  const spot = scalarSpot(text, node);
  const finding =
    spot === undefined
      ? undefined
      : findingFor("kubernetes", spot, "field", label, ctx, { role, build: role === "push" });
  return finding === undefined ? [] : [finding];
}
