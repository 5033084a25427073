import { containerTool, positionals } from "./docker-commands.js";
import { splitCommands, unquote } from "./shell-words.js";

/** A log-in found in a file: the registry as written and where it is (an offset into the text). */
export interface LoginSpot {
  readonly registry: string;
  readonly offset: number;
  readonly context: string;
}

/** Docker Hub, which `docker login` and docker/login-action use when no registry is named. */
export const defaultLoginRegistry = "docker.io";

/** Options of `docker login` that take a separate value: https://docs.docker.com/reference/cli/docker/login/ */
const valueOptions: ReadonlySet<string> = new Set(["-u", "--username", "-p", "--password", "--authfile"]);

/** Every `docker login [OPTIONS] [SERVER]` (and podman's, nerdctl's) in `text[start, end)`. */
export function findDockerLogins(text: string, start: number, end: number): LoginSpot[] {
  if (!/\blogin\b/.test(text.slice(start, end))) return [];
  const out: LoginSpot[] = [];
  for (const command of splitCommands(text, start, end)) {
    const at = command.findIndex((w, i) => containerTool.test(w.raw) && command[i + 1]?.raw === "login");
    if (at < 0) continue;
    const tool = command[at]!.raw.replace(/^.*\//, "");
    const server = positionals(command, at + 2, valueOptions)[0];
    const context = `${tool} login`;
    if (server === undefined) {
      out.push({ registry: defaultLoginRegistry, offset: command[at]!.start, context });
    } else {
      const span = unquote(server);
      out.push({ registry: text.slice(span.start, span.end), offset: span.start, context });
    }
  }
  return out;
}
