import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  cosignTag,
  createSignature,
  createSyntheticImage,
  type SyntheticImage,
} from "../../src/oci/synthetic.js";
import { envHostKey } from "../../src/registry/credentials/index.js";
import { type DistributionRegistry, startDistribution } from "../helpers/distribution.js";
import { seedImage } from "../helpers/seed.js";
import { startServeRegistry } from "../helpers/serve.js";

/** The one user of the private target. */
const user = "alice";
const password = "s3cret";

/**
 * Three real registries on loopback, seeded for every verify outcome:
 * - `src` (docker-registry, open): the source, repository `src/app` and `src/signed`;
 * - `dst` (docker-registry, open, so anonymous pulls work): the public target `dst/...`;
 * - `priv` (crossdock serve with token auth and no public repositories): `team/app`, which only
 *   alice can pull, as a GHCR package is after its first push.
 */
export interface VerifyRegistries {
  readonly src: DistributionRegistry;
  readonly dst: DistributionRegistry;
  readonly priv: DistributionRegistry;
  /** `--map` rules: `SRC/src=DST/dst` and `SRC/priv=PRIV/team`. */
  readonly maps: readonly string[];
  /** Environment giving alice's credentials for `priv` through CROSSDOCK_AUTH_<HOST>_*, and an empty HOME. */
  readonly env: NodeJS.ProcessEnv;
  readonly images: Readonly<Record<string, SyntheticImage>>;
  stop(): Promise<void>;
}

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

/** Starts and seeds the registries (see VerifyRegistries). */
export async function startVerifyRegistries(): Promise<VerifyRegistries> {
  const src = await startDistribution();
  const dst = await startDistribution();
  const priv = await startServeRegistry({
    auth: { users: [{ name: user, password }], publicRepositories: [] },
  });
  const home = await mkdtemp(path.join(os.tmpdir(), "crossdock-verify-home-"));
  const images = {
    app: createSyntheticImage({ seed: "verify-app", platforms: [amd64, arm64] }),
    old: createSyntheticImage({ seed: "verify-old", platforms: [amd64, arm64] }),
    driftSource: createSyntheticImage({ seed: "verify-drift-source", index: false }),
    driftTarget: createSyntheticImage({ seed: "verify-drift-target", index: false }),
    multi: createSyntheticImage({ seed: "verify-multi", platforms: [amd64, arm64] }),
    single: createSyntheticImage({ seed: "verify-single", platforms: [amd64], index: false }),
    signed: createSyntheticImage({ seed: "verify-signed", index: false }),
    gone: createSyntheticImage({ seed: "verify-gone", index: false }),
  };
  const signature = createSignature(images.signed.root, "verify-signature");

  // Copied faithfully: the same bytes on both sides.
  await seedImage(src.url, "src/app", images.app, "1.0");
  await seedImage(dst.url, "dst/app", images.app, "1.0");
  // A tag the source has and nobody copied.
  await seedImage(src.url, "src/app", images.old, "old");
  // The same tag, different images.
  await seedImage(src.url, "src/app", images.driftSource, "drift");
  await seedImage(dst.url, "dst/app", images.driftTarget, "drift");
  // The source is an index of two platforms, the target a single-platform image.
  await seedImage(src.url, "src/app", images.multi, "multi");
  await seedImage(dst.url, "dst/app", images.single, "multi");
  // Signed at the source; the image was copied without its signature.
  await seedImage(src.url, "src/signed", images.signed, "1");
  await seedImage(src.url, "src/signed", signature, cosignTag(images.signed.root.digest, "sig"));
  await seedImage(dst.url, "dst/signed", images.signed, "1");
  // On the target only: the source tag has been deleted since the migration.
  await seedImage(dst.url, "dst/app", images.gone, "gone");
  // Copied to the private target.
  const token = await fetchToken(priv.url, "repository:team/app:pull,push");
  await seedImage(priv.url, "team/app", images.app, "1.0", `Bearer ${token}`);
  await seedImage(src.url, "priv/app", images.app, "1.0");

  const prefix = `CROSSDOCK_AUTH_${envHostKey(priv.host)}_`;
  return {
    src,
    dst,
    priv,
    maps: [`${src.host}/src=${dst.host}/dst`, `${src.host}/priv=${priv.host}/team`],
    env: {
      HOME: home,
      PATH: process.env["PATH"],
      [`${prefix}USERNAME`]: user,
      [`${prefix}PASSWORD`]: password,
    },
    images,
    stop: async () => {
      await Promise.all([src.stop(), dst.stop(), priv.stop()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** A token for `scope` from the serve registry's token endpoint, as alice. */
async function fetchToken(registryUrl: string, scope: string): Promise<string> {
  const url = new URL("/token", registryUrl);
  url.searchParams.set("service", "crossdock");
  url.searchParams.set("scope", scope);
  const response = await fetch(url, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Writes a repository fixture (relative path -> content) into a new temporary directory. */
export async function writeRepo(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "crossdock-verify-repo-"));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

/** A Kubernetes Deployment naming each image in turn, one `image:` line each (line 8, 10, 12, ...). */
export function deployment(images: readonly string[]): string {
  const containers = images.map((image, i) => `        - name: c${i}\n          image: ${image}\n`).join("");
  return `apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;
}
