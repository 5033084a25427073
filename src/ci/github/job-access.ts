// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions (${{ }}) are the text written
import { isMap, isScalar, type YAMLMap } from "yaml";
import { dockerHubHost, normalizeRegistryHost } from "../../registry/credentials/registry-host.js";
import { actionOf, inputsOf } from "./publish-steps.js";
import {
  indentOfLine,
  insertLinesAfter,
  lineStart,
  mapColumn,
  pairOf,
  scalarPair,
  stringOf,
  type TextSplice,
} from "./yaml-text.js";

/**
 * The registry a docker/login-action step logs in to, canonical (`index.docker.io` is `docker.io`);
 * Docker Hub when `registry:` is absent, as the action does.
 * https://github.com/docker/login-action#docker-hub
 */
function canonicalHost(host: string): string {
  return host === "" ? dockerHubHost : normalizeRegistryHost(host);
}

/**
 * The credentials a new docker/login-action step uses for a host: on GHCR the workflow's own
 * token (its `packages: write` permission lets it push); elsewhere repository secrets the person
 * creates, named in the README.
 * https://docs.github.com/en/packages/managing-github-packages-using-github-actions-workflows/publishing-and-installing-a-package-with-github-actions
 */
export function loginCredentials(host: string): { username: string; password: string } {
  if (host === "ghcr.io") return { username: "${{ github.actor }}", password: "${{ secrets.GITHUB_TOKEN }}" };
  return {
    username: "${{ secrets.CROSSDOCK_TARGET_USERNAME }}",
    password: "${{ secrets.CROSSDOCK_TARGET_PASSWORD }}",
  };
}

/**
 * Splices that add a docker/login-action step for each host in `hosts` the job does not log in to
 * yet: after its last login step (same action version), or before its first publishing step.
 */
export function addLogins(
  text: string,
  steps: readonly YAMLMap[],
  firstPublisher: YAMLMap,
  hosts: readonly string[],
): { splices: TextSplice[]; added: string[] } {
  const logins = steps.filter((s) => actionOf(s) === "docker/login-action");
  const loggedIn = new Set(
    logins.map((s) => canonicalHost(stringOf(inputsOf(s)?.get("registry", true)) ?? "")),
  );
  const added = [...new Set(hosts.map(canonicalHost))].filter((h) => !loggedIn.has(h));
  if (added.length === 0) return { splices: [], added };
  const last = logins.at(-1);
  const anchor = last ?? firstPublisher;
  const uses = (last && stringOf(pairOf(last, "uses")?.value)) ?? "docker/login-action@v3";
  const item = " ".repeat(mapColumn(text, anchor));
  const dash = indentOfLine(text, anchor.range![0]);
  const lines = added.flatMap((host) => {
    const { username, password } = loginCredentials(host);
    return [
      `${dash}# Added by crossdock ci github: publish to ${host} too while users move (parallel phase).`,
      `${dash}- uses: ${uses}`,
      `${item}with:`,
      `${item}  registry: ${host}`,
      `${item}  username: ${username}`,
      `${item}  password: ${password}`,
    ];
  });
  if (last) return { splices: [insertLinesAfter(text, last, lines)], added };
  const at = lineStart(text, firstPublisher.range![0]);
  return { splices: [{ start: at, end: at, after: lines.map((l) => `${l}\n`).join("") }], added };
}

/** Whether a `permissions:` value lets the token push packages. */
function grantsPackagesWrite(value: unknown): boolean {
  if (isScalar(value)) return value.value === "write-all";
  return isMap(value) && value.get("packages") === "write";
}

/** A permissions map's entries as `key: value` text, with `packages: write` and (when absent) `contents: read`. */
function withPackagesWrite(value: unknown): string[] {
  const entries = new Map<string, string>();
  if (isMap(value))
    for (const pair of value.items) {
      const key = stringOf(pair.key);
      const v = stringOf(pair.value);
      if (key !== undefined && v !== undefined) entries.set(key, v);
    }
  if (!entries.has("contents")) entries.set("contents", "read");
  entries.set("packages", "write");
  return [...entries].map(([k, v]) => `${k}: ${v}`);
}

/**
 * Splices that let the job's token push packages (`packages: write`, plus `contents: read` for the
 * checkout): nothing when the job, or the workflow it inherits from, already grants it; a job
 * `permissions:` block (with the workflow's entries, which it replaces) before `steps:`; or the
 * job's own block extended. A job's permissions replace the workflow's for that job.
 * https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idpermissions
 */
export function grantPackagesWrite(text: string, workflow: YAMLMap, job: YAMLMap): TextSplice[] {
  const own = pairOf(job, "permissions");
  if (!own) {
    const inherited = pairOf(workflow, "permissions")?.value;
    if (grantsPackagesWrite(inherited)) return [];
    const steps = pairOf(job, "steps")!;
    const indent = " ".repeat(mapColumn(text, job));
    const at = lineStart(text, steps.key.range![0]);
    const lines = [`${indent}permissions:`, ...withPackagesWrite(inherited).map((e) => `${indent}  ${e}`)];
    return [{ start: at, end: at, after: lines.map((l) => `${l}\n`).join("") }];
  }
  const value = own.value;
  if (grantsPackagesWrite(value)) return [];
  if (isMap(value) && !value.flow) {
    const packages = scalarPair(value, "packages");
    const splices: TextSplice[] = [];
    if (packages)
      splices.push({ start: packages.value!.range![0], end: packages.value!.range![1], after: "write" });
    const indent = " ".repeat(mapColumn(text, value));
    const lines = [
      ...(pairOf(value, "contents") ? [] : [`${indent}contents: read`]),
      ...(packages ? [] : [`${indent}packages: write`]),
    ];
    if (lines.length > 0) splices.push(insertLinesAfter(text, value, lines));
    return splices;
  }
  // A flow map or a scalar (`read-all`): one flow map in its place.
  const node = value as { range?: [number, number, number] };
  const [start, end] = node.range!;
  return [{ start, end, after: `{ ${withPackagesWrite(value).join(", ")} }` }];
}
