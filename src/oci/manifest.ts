import { CrossdockError } from "../errors.js";
import { isIndexMediaType, isSchema1MediaType } from "./media-types.js";

/** A content descriptor: what a manifest says about another blob or manifest. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
  readonly platform?: Platform;
}

/** The platform of an index entry. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
}

/** An OCI image index or Docker manifest list. */
export interface IndexManifest {
  readonly kind: "index";
  readonly schemaVersion: number;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image manifest, Docker v2 manifest, or an OCI artifact manifest shaped like one. */
export interface ImageManifest {
  readonly kind: "image";
  readonly schemaVersion: number;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A parsed manifest of either kind. */
export type Manifest = IndexManifest | ImageManifest;

/** A manifest body that cannot be parsed or copied. */
export class ManifestError extends CrossdockError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BAD_MANIFEST", message, options);
  }
}

/**
 * Parses manifest bytes. The media type comes from the Content-Type when the body lacks one
 * (Docker v2 bodies carry it; OCI makes it optional). Schema 1 is refused: its signature covers
 * a re-serialised body, so no byte-exact copy is possible.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined): Manifest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ManifestError("manifest is not valid JSON", { cause: error });
  }
  if (typeof body !== "object" || body === null) throw new ManifestError("manifest is not a JSON object");
  const declared = typeof body["mediaType"] === "string" ? (body["mediaType"] as string) : undefined;
  const mediaType = declared ?? contentType ?? guessMediaType(body);
  if (isSchema1MediaType(mediaType) || body["schemaVersion"] === 1) {
    throw new ManifestError(
      "Docker schema 1 manifests cannot be copied byte for byte; rebuild or re-push the image with a current client",
    );
  }
  const common = {
    schemaVersion: Number(body["schemaVersion"] ?? 2),
    mediaType,
    ...(typeof body["artifactType"] === "string" ? { artifactType: body["artifactType"] as string } : {}),
    ...(isDescriptor(body["subject"]) ? { subject: body["subject"] } : {}),
    ...(isStringRecord(body["annotations"]) ? { annotations: body["annotations"] } : {}),
  };
  if (isIndexMediaType(mediaType) || (declared === undefined && Array.isArray(body["manifests"]))) {
    const manifests = body["manifests"];
    if (!Array.isArray(manifests) || !manifests.every(isDescriptor)) {
      throw new ManifestError("index has no valid manifests list");
    }
    return { kind: "index", ...common, manifests };
  }
  const config = body["config"];
  const layers = body["layers"] ?? [];
  if (!isDescriptor(config)) throw new ManifestError("manifest has no valid config descriptor");
  if (!Array.isArray(layers) || !layers.every(isDescriptor))
    throw new ManifestError("manifest has invalid layers");
  return { kind: "image", ...common, config, layers };
}

function guessMediaType(body: Record<string, unknown>): string {
  return Array.isArray(body["manifests"])
    ? "application/vnd.oci.image.index.v1+json"
    : "application/vnd.oci.image.manifest.v1+json";
}

function isDescriptor(value: unknown): value is Descriptor {
  if (typeof value !== "object" || value === null) return false;
  const d = value as Record<string, unknown>;
  return (
    typeof d["mediaType"] === "string" && typeof d["digest"] === "string" && typeof d["size"] === "number"
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string")
  );
}

/** `os/arch[/variant]`, the form `--platform` takes. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== "")
    .join("/");
}
