import type { Platform } from "../oci/manifest.js";
import {
  type BlobData,
  cosignTag,
  createLayer,
  createSignature,
  createSyntheticImage,
  type SyntheticImage,
} from "../oci/synthetic.js";
import { parseReference, withDigest, withTag } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";

/** One image of the demo project: a repository on the "Docker Hub" and the tags seeded there. */
export interface DemoImage {
  /** Repository path on the hub (`demo/katib-ui`, `library/mysql`). */
  readonly repository: string;
  readonly tags: readonly string[];
  readonly kind: "own" | "example" | "third-party";
  /** Sizes of the layers unique to each platform of each tag, in bytes. */
  readonly layerSizes: readonly number[];
  /** Two platforms in an index, or one plain manifest. */
  readonly multiArch: boolean;
  readonly format: "oci" | "docker";
  /** Layers from this third-party image's first tag come first in own images (their base). */
  readonly isBase?: boolean;
}

/** The tag of the controller that carries a cosign-style signature. */
export const signedTag = "v0.18.0";

/**
 * The demo project, shaped like Kubeflow Katib: three own images in two releases (multi-arch,
 * built FROM the same alpine base, so they share its layer), two example (trial) images and the
 * third-party images its manifests, Dockerfiles and CI use. Layers are a few KB to ~100 KB so the
 * whole demo moves about 2 MB.
 */
export const demoImages: readonly DemoImage[] = [
  ...["katib-controller", "katib-ui", "katib-db-manager"].map(
    (name, i): DemoImage => ({
      repository: `demo/${name}`,
      tags: ["v0.17.0", "v0.18.0"],
      kind: "own",
      layerSizes: [24_000 + 16_000 * i, 4_000],
      multiArch: true,
      format: "oci",
    }),
  ),
  {
    repository: "demo/mxnet-mnist",
    tags: ["v0.18.0"],
    kind: "example",
    layerSizes: [96_000],
    multiArch: false,
    format: "docker",
  },
  {
    repository: "demo/pytorch-mnist",
    tags: ["v0.18.0"],
    kind: "example",
    layerSizes: [120_000],
    multiArch: false,
    format: "oci",
  },
  thirdParty("library/mysql", "8.0", [150_000], "docker"),
  thirdParty("library/postgres", "16", [180_000], "docker"),
  thirdParty("library/golang", "1.22", [200_000], "oci"),
  // The base layer is an OCI layer: the base image and the images built FROM it are OCI too.
  { ...thirdParty("library/alpine", "3.19", [8_000], "oci"), isBase: true },
];

function thirdParty(
  repository: string,
  tag: string,
  layerSizes: number[],
  format: "oci" | "docker",
): DemoImage {
  return { repository, tags: [tag], kind: "third-party", layerSizes, multiArch: true, format };
}

const platforms: readonly Platform[] = [
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64" },
];

/** What seeding pushed, for the demo's summary and its own checks. */
export interface SeedResult {
  /** `repository:tag` to the root digest, for every seeded tag. */
  readonly digests: ReadonlyMap<string, string>;
  /** Images (repository and tag pairs) pushed, signatures not counted. */
  readonly images: number;
  readonly signatures: number;
  /** Bytes of blobs and manifests uploaded. */
  readonly bytes: number;
}

/** Builds every demo image in memory; deterministic, so every run has the same digests. */
export function buildDemoImages(): Map<string, SyntheticImage> {
  const built = new Map<string, SyntheticImage>();
  const base = demoImages.find((image) => image.isBase === true);
  const baseLayer: BlobData | undefined =
    base === undefined ? undefined : createLayer(`${base.repository}:${base.tags[0]}/base`, 40_000, "oci");
  for (const image of demoImages) {
    for (const tag of image.tags) {
      const shared = image.kind === "own" || image.isBase === true ? baseLayer : undefined;
      built.set(
        `${image.repository}:${tag}`,
        createSyntheticImage({
          seed: `crossdock-demo/${image.repository}:${tag}`,
          platforms: image.multiArch ? platforms : platforms.slice(0, 1),
          index: image.multiArch,
          layerSizes: image.layerSizes,
          format: image.format,
          ...(shared !== undefined ? { sharedLayers: [shared] } : {}),
        }),
      );
    }
  }
  return built;
}

/**
 * Pushes the demo project to the "Docker Hub" at `host` with crossdock's own client, as a
 * publisher would: per image its blobs (skipping those already there), the child manifests by
 * digest, then the root by tag, so no tag ever names an incomplete image. The controller's
 * `signedTag` also gets a cosign signature under its `sha256-<hex>.sig` tag.
 */
export async function seedHub(
  client: RegistryClient,
  host: string,
  signal?: AbortSignal,
): Promise<SeedResult> {
  const digests = new Map<string, string>();
  let bytes = 0;
  let signatures = 0;
  const push = async (repository: string, image: SyntheticImage, tag: string): Promise<void> => {
    const repo = parseReference(`${host}/${repository}`);
    await Promise.all(
      image.blobs.map(async (blob) => {
        if ((await client.headBlob(repo, blob.digest, signal)) !== undefined) return;
        await client.pushBlob(repo, blob.digest, blob.size, blob.bytes, signal ? { signal } : {});
        bytes += blob.size;
      }),
    );
    for (const manifest of image.manifests) {
      const ref = manifest === image.root ? withTag(repo, tag) : withDigest(repo, manifest.digest);
      await client.putManifest(ref, manifest.bytes, manifest.mediaType, signal);
      bytes += manifest.size;
    }
  };
  const built = buildDemoImages();
  await Promise.all(
    demoImages.map(async (image) => {
      for (const tag of image.tags) {
        const synthetic = built.get(`${image.repository}:${tag}`);
        if (synthetic === undefined) continue;
        await push(image.repository, synthetic, tag);
        digests.set(`${image.repository}:${tag}`, synthetic.root.digest);
        if (image.repository === "demo/katib-controller" && tag === signedTag) {
          const signature = createSignature(synthetic.root, `crossdock-demo/signature/${tag}`);
          await push(image.repository, signature, cosignTag(synthetic.root.digest, "sig"));
          signatures++;
        }
      }
    }),
  );
  return { digests, images: digests.size, signatures, bytes };
}
