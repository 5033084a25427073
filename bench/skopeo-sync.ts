import { writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Writes the `skopeo sync --src yaml` file that copies every tag of `repositories` (full names on
 * `sourceHost`) and returns skopeo's arguments to sync them, all platforms and digests kept, under
 * `dest` (`HOST/prefix`, plain HTTP): the way the benchmarks run skopeo beside crossdock.
 */
export async function skopeoSyncArgs(
  sourceHost: string,
  repositories: readonly string[],
  dest: string,
  dir: string,
): Promise<string[]> {
  const yaml = [
    `${sourceHost}:`,
    "  tls-verify: false",
    "  images-by-tag-regex:",
    ...repositories.map((repo) => `    ${repo}: ".*"`),
  ].join("\n");
  const file = path.join(dir, "skopeo-sync.yaml");
  await writeFile(file, `${yaml}\n`);
  const flags = [
    "--all",
    "--preserve-digests",
    "--src",
    "yaml",
    "--dest",
    "docker",
    "--dest-tls-verify=false",
  ];
  return ["sync", ...flags, file, dest];
}
