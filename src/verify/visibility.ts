import type { Reference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import { RegistryError } from "../registry/errors.js";

/** Where GitHub lets a person change a GHCR package's visibility, for an org and for a user account. */
export interface GhcrSettingsLinks {
  readonly org: string;
  readonly user: string;
}

/**
 * The package settings pages of a GHCR repository `ghcr.io/OWNER/PATH...`: the package name is the
 * path after the owner, URL-encoded (`katib/katib-ui` is `katib%2Fkatib-ui`). Undefined for other
 * registries, and for a repository with no path after the owner.
 */
export function ghcrSettingsLinks(ref: Pick<Reference, "domain" | "path">): GhcrSettingsLinks | undefined {
  if (ref.domain !== "ghcr.io") return undefined;
  const slash = ref.path.indexOf("/");
  if (slash <= 0) return undefined;
  const owner = ref.path.slice(0, slash);
  const pkg = encodeURIComponent(ref.path.slice(slash + 1));
  return {
    org: `https://github.com/orgs/${owner}/packages/container/${pkg}/settings`,
    user: `https://github.com/users/${owner}/packages/container/package/${pkg}/settings`,
  };
}

/**
 * Says that `target` refuses anonymous pulls, and what to do. GHCR makes a package private when it
 * is first pushed and has no API to change that, so the advice is the settings page to click through.
 * https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility
 */
export function describeNotPublic(target: Reference, targetText: string, answer: string): string {
  const links = ghcrSettingsLinks(target);
  const head = `${targetText} cannot be pulled anonymously (${answer})`;
  if (links === undefined) {
    return `${head}: anyone without credentials will fail to pull it; make the repository public in the registry's settings`;
  }
  return (
    `${head}: GHCR makes a package private when it is first pushed and offers no API to change that; ` +
    `make it public by hand under "Danger Zone > Change visibility" at ${links.org} ` +
    `(for a package owned by a user account: ${links.user})`
  );
}

/** What an anonymous pull of a target gets: it works, it is refused (with the registry's answer), or the check failed. */
export type AnonymousPull =
  | { readonly kind: "public" }
  | { readonly kind: "refused"; readonly answer: string }
  | { readonly kind: "error"; readonly message: string };

/**
 * HEADs `target` with a client that has no credentials, as `docker pull` on a stranger's machine
 * would. 401 and 403 are a refusal; so is 404 for a manifest that exists with credentials (some
 * registries hide private repositories that way).
 */
export async function checkAnonymousPull(
  anonymousClient: RegistryClient,
  target: Reference,
  signal?: AbortSignal,
): Promise<AnonymousPull> {
  try {
    const head = await anonymousClient.headManifest(target, signal);
    if (head === undefined) return { kind: "refused", answer: "404 without credentials" };
    return { kind: "public" };
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      return { kind: "refused", answer: `${error.status} ${error.code}` };
    }
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
}
