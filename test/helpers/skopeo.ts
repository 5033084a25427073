import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/** `skopeo inspect --raw` of an image on a plain-HTTP loopback registry: the exact manifest bytes, as another client sees them. */
export async function skopeoRaw(reference: string): Promise<Buffer> {
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

/** The sha256 digest of some bytes. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
