import { randomBytes } from "node:crypto";
import path from "node:path";
import { createCredentialSource } from "../registry/credentials/credential-source.js";
import { envHostKey } from "../registry/credentials/registry-host.js";
import type { CredentialSource } from "../registry/credentials/types.js";
import type { PullLimit } from "../serve/options.js";
import { type RunningRegistry, startRegistryServer } from "../serve/server.js";

/** The "Docker Hub" pull limit: Docker Hub's anonymous 100 pulls per 6 hours, far above what the demo needs. */
export const demoPullLimit: PullLimit = { limit: 100, windowSeconds: 6 * 3600 };

/** The user the demo logs in to its "GHCR" as; the password is generated per run and never printed. */
export const demoGhcrUser = "demo-user";

/** The user that publishes the demo project to its "Docker Hub". */
const publisherUser = "demo-publisher";

/** The two embedded registries of the demo, on loopback, and the credentials for each. */
export interface DemoRegistries {
  /** The "Docker Hub": anonymous pulls allowed everywhere, pushes need the publisher, pulls are limited. */
  readonly hub: RunningRegistry;
  /** The "GHCR": token auth, every repository private (as a package is on first push). */
  readonly ghcr: RunningRegistry;
  /** Storage directories, for the commands that start them again by hand. */
  readonly hubStorage: string;
  readonly ghcrStorage: string;
  /** Credentials of the publisher for the hub (seeding only). */
  readonly publisherCredentials: CredentialSource;
  /**
   * Credentials for crossdock: the environment with `CROSSDOCK_AUTH_<GHCR HOST>_USERNAME`/`_PASSWORD`
   * added, read the way a CI job's would be. Nothing for the hub: it is pulled anonymously.
   */
  readonly migrateCredentials: CredentialSource;
  /**
   * Makes every repository under `demo-org/` on the "GHCR" anonymously pullable, as a maintainer
   * does on github.com (Package settings, Change visibility) once the packages exist.
   */
  makeGhcrPackagesPublic(): void;
  /** The names of the variables that hold the GHCR login (never the values). */
  readonly ghcrEnvNames: readonly [string, string];
  /** Closes both servers (in-flight requests get 2 s). */
  close(): Promise<void>;
}

/**
 * Starts the demo's "Docker Hub" and "GHCR" with src/serve, in this process, on 127.0.0.1 with
 * free ports, storing under `storageRoot/hub` and `storageRoot/ghcr`.
 */
export async function startDemoRegistries(
  storageRoot: string,
  signal?: AbortSignal,
): Promise<DemoRegistries> {
  const publisherPassword = randomBytes(18).toString("base64url");
  const ghcrPassword = randomBytes(18).toString("base64url");
  const hubStorage = path.join(storageRoot, "hub");
  const ghcrStorage = path.join(storageRoot, "ghcr");
  const withSignal = signal === undefined ? {} : { signal };
  const hub = await startRegistryServer({
    storage: hubStorage,
    port: 0,
    auth: {
      users: [{ name: publisherUser, password: publisherPassword }],
      publicRepositories: ["**"],
      service: "demo-hub",
    },
    pullLimit: demoPullLimit,
    ...withSignal,
  });
  const ghcrAuth = { users: [{ name: demoGhcrUser, password: ghcrPassword }], service: "demo-ghcr" };
  let ghcr: RunningRegistry;
  try {
    ghcr = await startRegistryServer({
      storage: ghcrStorage,
      port: 0,
      auth: { ...ghcrAuth, publicRepositories: [] },
      ...withSignal,
    });
  } catch (error) {
    await hub.close();
    throw error;
  }
  const hubKey = `CROSSDOCK_AUTH_${envHostKey(hub.host)}_`;
  const ghcrKey = `CROSSDOCK_AUTH_${envHostKey(ghcr.host)}_`;
  // The publisher's source reads nothing of the user's: no docker config, no environment.
  const publisherCredentials = createCredentialSource({
    env: { [`${hubKey}USERNAME`]: publisherUser, [`${hubKey}PASSWORD`]: publisherPassword },
    homeDir: path.join(storageRoot, "no-home"),
  });
  const migrateCredentials = createCredentialSource({
    env: { ...process.env, [`${ghcrKey}USERNAME`]: demoGhcrUser, [`${ghcrKey}PASSWORD`]: ghcrPassword },
  });
  return {
    hub,
    ghcr,
    hubStorage,
    ghcrStorage,
    publisherCredentials,
    migrateCredentials,
    makeGhcrPackagesPublic: () => ghcr.updateAuth({ ...ghcrAuth, publicRepositories: ["demo-org/**"] }),
    ghcrEnvNames: [`${ghcrKey}USERNAME`, `${ghcrKey}PASSWORD`],
    close: async () => {
      await Promise.all([hub.close(), ghcr.close()]);
    },
  };
}
