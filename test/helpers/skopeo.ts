import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { hasTool } from "./tools.js";

const run = promisify(execFile);

const manifestAccept = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * The exact manifest bytes of an image on a plain-HTTP loopback registry, as another client sees
 * them: `skopeo inspect --raw`. Where skopeo is not installed (a machine with only Node.js; never
 * under CI, which installs it), a plain fetch of the manifest, still independent of crossdock's client.
 */
export async function skopeoRaw(reference: string): Promise<Buffer> {
  if (!hasTool("skopeo") && process.env["CI"] !== "true") return await fetchRaw(reference);
  const { stdout } = await run(
    "skopeo",
    ["inspect", "--raw", "--tls-verify=false", `docker://${reference}`],
    {
      encoding: "buffer",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

async function fetchRaw(reference: string): Promise<Buffer> {
  const slash = reference.indexOf("/");
  const host = reference.slice(0, slash);
  const rest = reference.slice(slash + 1);
  const at = rest.indexOf("@");
  const colon = rest.lastIndexOf(":");
  const [repository, ref] =
    at >= 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest.slice(0, colon), rest.slice(colon + 1)];
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${ref}`, {
    headers: { accept: manifestAccept },
  });
  if (response.status !== 200) throw new Error(`GET ${reference}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The sha256 digest of some bytes. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
