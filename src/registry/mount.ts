import type { Reference } from "../reference/reference.js";
import { pullScope, pushScope } from "./auth/scope.js";
import { discardBody } from "./response.js";
import type { RegistrySession } from "./session.js";
import { cancelUpload } from "./upload.js";

/**
 * Cross-repository mount: POST `?mount=<digest>&from=<repo>` with one token for pull on the
 * source and pull,push on the target. True when the registry mounted (201); false on any other
 * outcome, so the caller uploads. A 202 means the registry opened an upload session instead
 * (it cannot or will not mount): that session is cancelled.
 * https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#mounting-a-blob-from-another-repository
 */
export async function mountBlob(
  session: RegistrySession,
  repo: Reference,
  digest: string,
  fromRepo: Reference,
  signal?: AbortSignal,
): Promise<boolean> {
  if (fromRepo.domain !== repo.domain) return false;
  const query = new URLSearchParams({ mount: digest, from: fromRepo.path });
  try {
    const res = await session.send({
      registry: repo.domain,
      method: "POST",
      target: `/v2/${repo.path}/blobs/uploads/?${query.toString()}`,
      scopes: [pushScope(repo.path), pullScope(fromRepo.path)],
      stat: "blobMount",
      retryable: true,
      signal,
    });
    await discardBody(res.body).catch(() => undefined);
    if (res.status === 201) return true;
    const location = res.headers.location;
    if (res.status === 202 && typeof location === "string") {
      await cancelUpload(session, repo, new URL(location, res.url));
    }
    return false;
  } catch (error) {
    if (signal?.aborted) throw error;
    return false;
  }
}
