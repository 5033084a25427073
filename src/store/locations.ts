import { UsageError } from "../errors.js";
import { checkDigest, isValidTag } from "../reference/reference.js";

/**
 * Where images are, as the CLI and the library take it: a registry repository, an OCI layout
 * directory or an OCI archive. `reference` is the tag or digest named after the path, if any.
 */
export type Location =
  | { readonly kind: "registry"; readonly reference: string }
  | { readonly kind: "oci"; readonly path: string; readonly reference?: string }
  | { readonly kind: "oci-archive"; readonly path: string; readonly reference?: string };

/** skopeo's other transports: a clear refusal beats reading `dir:x` as the Docker Hub image `dir` tagged `x`. */
const unsupportedTransports = [
  "dir:",
  "docker-archive:",
  "docker-daemon:",
  "containers-storage:",
  "ostree:",
  "sif:",
  "tarball:",
];

/**
 * Parses a location spelled as skopeo's transports spell it:
 * - `oci:PATH[:TAG]` and `oci-archive:PATH[:TAG]`, the tag after the last colon (so PATH has none),
 *   or `oci:PATH@DIGEST` (also `oci:PATH:@DIGEST`) to name a manifest by digest;
 * - `docker://REF` or a plain REF: a registry reference (its grammar is checked where it is opened).
 * https://github.com/containers/image/blob/main/docs/containers-transports.5.md
 */
export function parseLocation(input: string): Location {
  for (const kind of ["oci", "oci-archive"] as const) {
    if (input.startsWith(`${kind}:`)) return parseLayoutLocation(kind, input, input.slice(kind.length + 1));
  }
  if (unsupportedTransports.some((prefix) => input.startsWith(prefix))) {
    throw new UsageError(`${input}: unsupported transport (use docker://, oci: or oci-archive:)`, {
      code: "INVALID_LOCATION",
    });
  }
  const reference = input.startsWith("docker://") ? input.slice("docker://".length) : input;
  if (reference === "" || /\s/.test(reference)) {
    throw new UsageError(`"${input}" is not an image reference`, { code: "INVALID_LOCATION" });
  }
  return { kind: "registry", reference };
}

function parseLayoutLocation(kind: "oci" | "oci-archive", input: string, rest: string): Location {
  const fail = (reason: string): never => {
    throw new UsageError(`invalid location "${input}": ${reason}`, { code: "INVALID_LOCATION" });
  };
  let dir = rest;
  let reference: string | undefined;
  const at = rest.lastIndexOf("@");
  // `@alg:...` after the last @ names a digest; `@` elsewhere is part of the path.
  const digest = at >= 0 ? rest.slice(at + 1) : "";
  if (at >= 0 && /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[^/]*$/.test(digest)) {
    const problem = checkDigest(digest);
    if (problem !== undefined) fail(problem);
    dir = rest.slice(0, at).replace(/:$/, "");
    reference = digest;
  } else {
    const colon = rest.indexOf(":");
    if (colon >= 0) {
      dir = rest.slice(0, colon);
      reference = rest.slice(colon + 1);
      if (!isValidTag(reference)) {
        fail(
          reference.includes(":")
            ? "a path may not contain a colon (the tag follows the last one)"
            : `"${reference}" is not a valid tag`,
        );
      }
    }
  }
  if (dir === "") fail(`no ${kind === "oci" ? "directory" : "archive"} path`);
  if (dir.includes(":")) fail("a path may not contain a colon (the tag follows the last one)");
  return reference === undefined ? { kind, path: dir } : { kind, path: dir, reference };
}
