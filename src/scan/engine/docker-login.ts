import { splitCommands, unquote, type Word } from "./shell-words.js";

/** A log-in found in a file: the registry as written and where it is (an offset into the text). */
export interface LoginSpot {
  readonly registry: string;
  readonly offset: number;
  readonly context: string;
}

/** Docker Hub, which `docker login` and docker/login-action use when no registry is named. */
export const defaultLoginRegistry = "docker.io";

const tools = /^(?:[\w/.-]*\/)?(?:docker|podman|nerdctl)$/;
/** Options of `docker login` that take a separate value: https://docs.docker.com/reference/cli/docker/login/ */
const valueOptions: ReadonlySet<string> = new Set(["-u", "--username", "-p", "--password", "--authfile"]);

/** Every `docker login [OPTIONS] [SERVER]` (and podman's, nerdctl's) in `text[start, end)`. */
export function findDockerLogins(text: string, start: number, end: number): LoginSpot[] {
  if (!/\blogin\b/.test(text.slice(start, end))) return [];
  const out: LoginSpot[] = [];
  for (const command of splitCommands(text, start, end)) {
    const at = command.findIndex((w, i) => tools.test(w.raw) && command[i + 1]?.raw === "login");
    if (at < 0) continue;
    const tool = command[at]!.raw.replace(/^.*\//, "");
    const server = loginServer(command, at + 2);
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

/** The first word from `from` that is neither an option nor an option's value. */
function loginServer(words: readonly Word[], from: number): Word | undefined {
  for (let i = from; i < words.length; i++) {
    const raw = words[i]!.raw;
    if (raw.startsWith("-")) {
      if (!raw.includes("=") && valueOptions.has(raw)) i++;
      continue;
    }
    return words[i];
  }
  return undefined;
}
