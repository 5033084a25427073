import { unquote, type Word } from "./shell-words.js";

/** An image argument of a container-tool command: where it is, which command, whether it builds. */
export interface ImageArgument {
  readonly start: number;
  readonly end: number;
  /** `docker build -t`, `docker push`, `kind load docker-image`, ... */
  readonly context: string;
  /** A build or push of this name (evidence the image is the project's own). */
  readonly build: boolean;
  /** A destination the command publishes to (`docker push X`, `docker tag SRC X`, `buildx build --push -t X`). */
  readonly push?: true;
}

/** Options of `docker run`/`create` that take a separate value (so the value is not the image). */
const runValueOptions: ReadonlySet<string> = new Set(
  (
    "-e --env --env-file -v --volume -p --publish -w --workdir -u --user -h --hostname -l --label -m --memory " +
    "--name --network --net --entrypoint --mount --platform --cpus --add-host --device --gpus --ulimit " +
    "--restart --log-driver --log-opt --shm-size --cap-add --cap-drop --security-opt --tmpfs --pull --runtime " +
    "--ipc --pid --dns --label-file --cidfile --expose --health-cmd --stop-signal --userns --uts --volumes-from " +
    "-a --attach --link --cgroupns --memory-swap --cpu-shares -c --cpuset-cpus"
  ).split(" "),
);

/** Options of `docker build` and friends that take a separate value. */
const buildValueOptions: ReadonlySet<string> = new Set(
  (
    "-f --file --build-arg --target --platform --label --cache-from --cache-to --secret --ssh --output -o " +
    "--iidfile --network --progress --builder --build-context --annotation --attest --metadata-file --provenance --sbom"
  ).split(" "),
);

/** A container tool by name or path (`docker`, `/usr/bin/podman`, `nerdctl`). */
export const containerTool = /^(?:[\w/.-]*\/)?(?:docker|podman|nerdctl)$/;
/** Words in the name of a variable that holds the container tool (`$(DOCKER)`, `${CONTAINER_ENGINE}`). */
export const toolVariableWords = "DOCKER|PODMAN|NERDCTL|CONTAINER|ENGINE|OCI";
/** A variable that holds the container tool, with or without braces (`$(DOCKER)`, `${OCI_BIN}`, `$DOCKER`). */
const toolVariable = new RegExp(
  `^\\$(?:[({][A-Z_]*(?:${toolVariableWords})[A-Z_]*[)}]|[A-Z_]*(?:${toolVariableWords})[A-Z_]*)$`,
);

/** Finds image arguments in one simple command (words as split by splitCommands). */
export function findImageArguments(command: readonly Word[]): ImageArgument[] {
  const words = command;
  const out: ImageArgument[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.raw.replace(/^[@!%+-]+/, "");
    if (containerTool.test(word) || toolVariable.test(word)) {
      out.push(...dockerArguments(words, i + 1, word.replace(/^.*\//, "")));
      break;
    }
    if (word === "kind" && words[i + 1]?.raw === "load" && words[i + 2]?.raw === "docker-image") {
      out.push(
        ...positionals(words, i + 3, new Set(["--name", "--nodes"])).map((w) =>
          arg(w, "kind load docker-image", false),
        ),
      );
      break;
    }
    if (
      (word === "crane" || word === "gcrane") &&
      /^(?:copy|cp|digest|manifest|pull|tag|ls)$/.test(words[i + 1]?.raw ?? "")
    ) {
      out.push(
        ...positionals(words, i + 2, new Set(["--platform"]))
          .slice(0, 2)
          .map((w) => arg(w, `crane ${words[i + 1]!.raw}`, false)),
      );
      break;
    }
    // `kubectl run NAME --image=busybox`, `kubectl create deployment NAME --image busybox`
    // (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_run/).
    if (word === "kubectl" && /^(?:run|create)$/.test(words[i + 1]?.raw ?? "")) {
      out.push(...imageFlagValues(words, i + 2, `kubectl ${words[i + 1]!.raw} --image`));
      break;
    }
    if (word === "skopeo" && /^(?:copy|inspect|sync)$/.test(words[i + 1]?.raw ?? "")) {
      for (const w of positionals(words, i + 2, new Set(["--src-creds", "--dest-creds", "--authfile"]))) {
        const span = unquote(w);
        const at = w.raw.indexOf("docker://");
        if (at >= 0)
          out.push({ start: w.start + at + 9, end: span.end, context: "skopeo docker://", build: false });
      }
      break;
    }
  }
  return out;
}

function arg(word: Word, context: string, build: boolean, from = word.start): ImageArgument {
  const span = unquote(word, from);
  return { start: span.start, end: span.end, context, build };
}

/** The same argument, as a destination the command publishes to. */
function pushed(argument: ImageArgument): ImageArgument {
  return { ...argument, push: true };
}

/** Words from `from` that are not options or option values. */
export function positionals(words: readonly Word[], from: number, valueOptions: ReadonlySet<string>): Word[] {
  const out: Word[] = [];
  for (let i = from; i < words.length; i++) {
    const raw = words[i]!.raw;
    if (raw.startsWith("-")) {
      if (!raw.includes("=") && valueOptions.has(raw)) i++;
      continue;
    }
    out.push(words[i]!);
  }
  return out;
}

function dockerArguments(words: readonly Word[], from: number, tool: string): ImageArgument[] {
  let i = from;
  while (i < words.length && words[i]!.raw.startsWith("-"))
    i += /^--?(?:context|host|H|config|log-level)$/.test(words[i]!.raw) ? 2 : 1;
  let sub = words[i]?.raw;
  if (sub === "image" || sub === "container" || sub === "buildx") {
    const next = words[i + 1]?.raw;
    if (sub === "buildx" && next === "imagetools" && words[i + 2]?.raw === "create")
      return tagValues(words, i + 3, `${tool} buildx imagetools create`).map(pushed);
    if (next !== undefined) {
      sub = next;
      i++;
    }
  }
  const rest = i + 1;
  switch (sub) {
    case "build": {
      // `--push` (buildx, podman's `build --push`) publishes every tag it builds:
      // https://docs.docker.com/reference/cli/docker/buildx/build/#push
      const tags = tagValues(words, rest, `${tool} build -t`);
      return words.slice(rest).some((w) => w.raw === "--push") ? tags.map(pushed) : tags;
    }
    case "push":
      return positionals(words, rest, new Set(["--platform"]))
        .slice(0, 1)
        .map((w) => pushed(arg(w, `${tool} push`, true)));
    case "pull":
      return positionals(words, rest, new Set(["--platform"]))
        .slice(0, 1)
        .map((w) => arg(w, `${tool} pull`, false));
    case "tag":
      return positionals(words, rest, new Set())
        .slice(0, 2)
        .map((w, n) => (n === 1 ? pushed(arg(w, `${tool} tag`, false)) : arg(w, `${tool} tag`, false)));
    case "run":
    case "create":
      return positionals(words, rest, runValueOptions)
        .slice(0, 1)
        .map((w) => arg(w, `${tool} ${sub}`, false));
    case "save":
      return positionals(words, rest, new Set(["-o", "--output", "--platform"])).map((w) =>
        arg(w, `${tool} save`, false),
      );
    case "manifest":
      return words[rest]?.raw === "create"
        ? positionals(words, rest + 1, new Set()).map((w, n) =>
            n === 0
              ? pushed(arg(w, `${tool} manifest create`, true))
              : arg(w, `${tool} manifest create`, false),
          )
        : [];
    default:
      return [];
  }
}

/** The values of `-t`/`--tag` in a build command (separate or `=`-joined). */
function tagValues(words: readonly Word[], from: number, context: string): ImageArgument[] {
  const out: ImageArgument[] = [];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (w.raw === "-t" || w.raw === "--tag") {
      const value = words[i + 1];
      if (value !== undefined) out.push(arg(value, context, true));
      i++;
    } else if (/^(?:-t|--tag)=/.test(w.raw)) {
      out.push(arg(w, context, true, w.start + w.raw.indexOf("=") + 1));
    } else if (buildValueOptions.has(w.raw)) {
      i++;
    }
  }
  return out;
}

/** The values of `--image` in a kubectl command (separate or `=`-joined). */
function imageFlagValues(words: readonly Word[], from: number, context: string): ImageArgument[] {
  const out: ImageArgument[] = [];
  for (let i = from; i < words.length; i++) {
    const w = words[i]!;
    if (w.raw === "--image") {
      const value = words[i + 1];
      if (value !== undefined) out.push(arg(value, context, false));
      i++;
    } else if (w.raw.startsWith("--image=")) {
      out.push(arg(w, context, false, w.start + "--image=".length));
    }
  }
  return out;
}
