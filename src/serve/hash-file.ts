import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** The digest (`<algorithm>:<hex>`) and size of a file, read as a stream. */
export async function hashFile(file: string, algorithm: string): Promise<{ digest: string; size: number }> {
  const hash = createHash(algorithm);
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `${algorithm}:${hash.digest("hex")}`, size };
}
