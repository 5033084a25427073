import { UsageError } from "../errors.js";
import { type MappingRule, mapName, mapReference } from "../reference/mapping.js";
import { formatReference } from "../reference/reference.js";
import { type ScanOptions, scanRepository } from "../scan/scan-repository.js";
import type { ImageSummary, Occurrence, ScanResult } from "../scan/types.js";
import { mirrorRule } from "./config/third-party.js";
import type { ThirdPartyPolicy } from "./config/types.js";

/** Options of scanProject. */
export interface ScanProjectOptions {
  /** The mapping rules (`--map` and crossdock.yaml's). */
  readonly rules: readonly MappingRule[];
  /** The scan's include/exclude and category overrides (scanSettingsOf the config). */
  readonly scan: Omit<ScanOptions, "rules" | "signal">;
  /** crossdock.yaml's `thirdParty:`; absent or `leave`, nothing is mirrored. */
  readonly thirdParty?: ThirdPartyPolicy;
  readonly signal?: AbortSignal;
}

/** A scan with the rules every repository-level command applies to it. */
export interface ProjectScan {
  readonly scan: ScanResult;
  /** The given rules and a mirror rule per third-party image the config mirrors. */
  readonly rules: readonly MappingRule[];
}

/**
 * Scans a repository the way every repository-level command sees it (`scan`, `rewrite`, `verify`,
 * `migrate`, `status`): the config's rules, and with `thirdParty: {action: mirror}` a rule for each
 * image the scan finds third-party, whatever its usage (examples too), so `mapped` says where each
 * goes. Reads only.
 */
export async function scanProject(dir: string, options: ScanProjectOptions): Promise<ProjectScan> {
  const { signal } = options;
  const scan = await scanRepository(dir, {
    ...options.scan,
    rules: options.rules,
    ...(signal ? { signal } : {}),
  });
  const mirrors = options.thirdParty ? planMirrorRules(options.thirdParty, options.rules, scan.images) : [];
  if (mirrors.length === 0) return { scan, rules: options.rules };
  return {
    scan: {
      ...scan,
      references: scan.references.map((occurrence) => withMapped(occurrence, mirrors)),
      images: scan.images.map((image) => withMapped(image, mirrors)),
    },
    rules: [...options.rules, ...mirrors],
  };
}

/**
 * The mirror rules for the images a scan found third-party (mirrorRule for each). Two images whose
 * mirror paths meet (`path: without-host` and the same `org/app` on two registries) are a
 * UsageError naming both: one would overwrite the other's tags.
 */
export function planMirrorRules(
  thirdParty: ThirdPartyPolicy,
  rules: readonly MappingRule[],
  images: readonly ImageSummary[],
): MappingRule[] {
  const byTarget = new Map<string, MappingRule>();
  for (const image of images) {
    if (image.owner !== "third-party") continue;
    const rule = mirrorRule({ thirdParty, rules }, image.name);
    if (!rule || rules.some((r) => r.from.text === rule.from.text)) continue;
    const earlier = byTarget.get(rule.to.text);
    if (earlier && earlier.from.text !== rule.from.text) {
      throw new UsageError(
        `thirdParty mirrors both ${earlier.from.text} and ${rule.from.text} to ${rule.to.text}: use path: with-host`,
        { code: "CONFIG_INVALID" },
      );
    }
    byTarget.set(rule.to.text, rule);
  }
  return [...byTarget.values()];
}

/** The item with `mapped` set from the mirror rules, when none of the config's rules mapped it. */
function withMapped<T extends Occurrence | ImageSummary>(item: T, mirrors: readonly MappingRule[]): T {
  if (item.mapped !== undefined) return item;
  let mapped: string | undefined;
  if ("file" in item) {
    const target = item.reference ? mapReference(mirrors, item.reference) : undefined;
    mapped = target ? formatReference(target) : undefined;
  } else mapped = mapName(mirrors, item.name);
  return mapped === undefined ? item : { ...item, mapped };
}
