import { after } from "node:test";
import { RegistryClient } from "../../src/registry/client.js";
import type { ScriptedServer } from "./scripted-server.js";

/**
 * For a describe block of protocol tests: the clients it makes (with quick retries) and the
 * scripted servers it starts, all closed after the block.
 */
export function trackClientsAndServers(): {
  readonly servers: ScriptedServer[];
  newClient(options?: ConstructorParameters<typeof RegistryClient>[0]): RegistryClient;
} {
  const servers: ScriptedServer[] = [];
  const clients: RegistryClient[] = [];
  after(async () => {
    for (const client of clients) await client.close();
    for (const server of servers) await server.stop();
  });
  return {
    servers,
    newClient: (options = {}) => {
      const client = new RegistryClient({ retryBaseMs: 20, ...options });
      clients.push(client);
      return client;
    },
  };
}
