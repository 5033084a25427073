import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createSyntheticImage } from "../../src/oci/synthetic.js";
import { seedImage } from "./seed.js";

/** The images test/fixtures/migrate/repo refers to, by source repository and tag. */
export const fixtureImages = [
  "kubeflowkatib/katib-controller:v0.18.0",
  "kubeflowkatib/file-metrics-collector:v0.18.0",
  "kubeflowkatib/katib-ui:v0.18.0",
  "kubeflowkatib/mxnet-mnist:v0.18.0",
  "library/golang:1.22",
  "library/alpine:3.20",
  "library/mysql:8.0",
];

/** Seeds a registry with a synthetic image for each of fixtureImages; returns their digests. */
export async function seedFixtureImages(registryUrl: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const image of fixtureImages) {
    const [repo, tag] = image.split(":") as [string, string];
    const built = createSyntheticImage({ seed: image, layerSizes: [2048] });
    await seedImage(registryUrl, repo, built, tag);
    digests.set(image, built.root.digest);
  }
  return digests;
}

/** Every file under `dir`, relative to `base`, sorted. */
export async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

/** Copies a fixture tree, putting the registries' real addresses in place of the placeholders. */
export async function instantiate(from: string, to: string, vars: Record<string, string>): Promise<void> {
  await cp(from, to, { recursive: true });
  for (const file of await listFiles(to)) {
    const full = path.join(to, file);
    const text = await readFile(full, "utf8");
    await writeFile(
      full,
      text.replace(/\{\{(SOURCE|TARGET)\}\}/g, (_m, name: string) => vars[name]!),
    );
  }
}
