import type { ExtractContext, Finding, Form } from "../types.js";
import { type Trust, variablePattern } from "./candidate.js";
import { findImageArguments, toolVariableWords } from "./docker-commands.js";
import { findingFor, verbatimSpot } from "./finding.js";
import { HintIndex, mayHoldReference } from "./hints.js";
import { splitCommands } from "./shell-words.js";

/** What to look for in a stretch of free text. */
export interface FreeTextOptions {
  /** Read shell commands (`docker build -t`, `docker push`, ...). */
  readonly commands?: boolean;
  /** Read `NAME = value` assignments (Makefile, shell, .env). */
  readonly assignments?: boolean;
  /** Accept a value that is only a template in an image context (`image: {{ .Values.image }}` in Helm templates). */
  readonly pureVariables?: boolean;
  /** The hints of `text` when the caller has indexed them over a stretch that covers `[start, end)`. */
  readonly hints?: HintIndex;
  /** Accept a bare name after a line's own `image:` key (`image: busybox`: YAML in a Markdown code block). */
  readonly bareNames?: boolean;
}

/**
 * A token: variables and templates (as in `variablePattern`), an IPv6 host in brackets (`[::1]:5000/team/app`), or the
 * characters a reference can hold. Anything else (quotes, spaces, other brackets, commas) ends it.
 */
const tokenPattern =
  /(?:\$\{\{[^}\n]*\}\}|\{\{[^}\n]*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}\n]*)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\{[0-9]?\}|\\\(\.[\w.]*\)|\[[0-9A-Fa-f]*:[0-9A-Fa-f:]*\]|[A-Za-z0-9._\-/:@])+/g;

/** A key naming an image at the start of a line (`image:`, `IMG ?=`, `trialImage =`, `- image:`). */
const lineKeyContext =
  /^\s*(?:-\s+|export\s+)?["']?[\w.-]*(?:image|img)[\w-]*["']?\s*(?::|=|\?=|:=|\+=)\s*["']?$/i;
/** An image key inside an object or call (`{image: "x"}`, `run(image="x")`, `, image = "x"`). */
const inlineKeyContext = /[{,(]\s*["']?\w*(?:image|img)\w*["']?\s*[:=]\s*["']?$/i;
/** A YAML `image:` key alone at the start of a line, where a bare name is an image (see `bareNames`). */
const bareImageKey = /^\s*(?:-\s+)?image:\s+["']?$/;
/** An image flag (`--image x`, `--image=x`, `-image=x`) or a shell-style `image=x`. */
const flagContext = /(?:^|\s)(?:--?[\w-]*image[\w-]*(?:=|\s+)|\w*image\w*=)["']?$/i;
/**
 * Helm's `--set image.repository=x`, `--set hub.image.name=x`, `--set-string controller.image=x`
 * (in scripts and workflows). https://helm.sh/docs/helm/helm_install/
 */
const helmSetContext =
  /(?:^|\s)--set(?:-string)?[=\s]+["']?(?:[\w-]+\.)*(?:[\w-]*image[\w-]*\.(?:repository|name)|[\w-]*image)=["']?$/i;
/** A Dockerfile `FROM` line (in docs and strings). */
const fromContext = /^\s*FROM\s+(?:--platform=\S+\s+)?$/;
/** An assignment at the start of a line (Make or shell). */
const assignment =
  /^[ \t]*(?:export[ \t]+|override[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(\?=|:=|::=|\+=|=)[ \t]*/;
/** Variable names that hold a registry or namespace rather than an image. */
const registryName = /REGISTRY|PREFIX|REPO(?:SITORY)?(?![a-z])|(?<!GIT)HUB(?![a-z])|NAMESPACE/i;
/**
 * What sits beside a GitHub `owner/repo`, never an image (rewriting one
 * silently stops a release job): `github.repository == 'ORG/project'`, either way round.
 */
const repositoryBefore = /\bgithub\.(?:repository|event\.repository\.full_name)\s*[!=]=\s*["']?$/i;
const repositoryAfter = /^["']?\s*[!=]=\s*github\.(?:repository|event\.repository\.full_name)\b/i;
const imageName = /IMAGE|IMG/i;

/** Words that may start a container-tool command: no match, no need to split commands. */
const toolHint = new RegExp(
  `docker|podman|nerdctl|kind|kubectl|crane|skopeo|\\$[({]?[A-Z_]*(?:${toolVariableWords})`,
);

/**
 * Variables that name where ko publishes: https://ko.build/configuration/#naming-images
 * (`KO_DOCKER_REPO=ghcr.io/org` is a push destination wherever it is set).
 */
const pushVariable = /^KO_DOCKER_REPO$/;
/** The variables a value reads (`$(REGISTRY)`, `${REGISTRY}`, `$REGISTRY`). */
const variableRead = /\$(?:[({]([A-Za-z_][A-Za-z0-9_]*)[)}:]|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Internal: an assignment finding with the variable it sets, to link `docker build -t $(IMG)`. */
interface Assigned {
  readonly variable: string;
  readonly index: number;
}

/**
 * Whether `scanFreeText` with these options could find anything in `text`: false only when it holds
 * none of the words every finding needs (a hint of `mayHoldReference`; for commands, a container
 * tool, by name or in a variable; for assignments, a variable named like a registry).
 */
export function freeTextMayFind(text: string, ctx: ExtractContext, options: FreeTextOptions): boolean {
  if (mayHoldReference(text, ctx)) return true;
  if (options.commands === true && toolHint.test(text)) return true;
  return options.assignments === true && registryName.test(text);
}

/**
 * Finds references in free text (`text[start, end)`): shell commands, assignments, and tokens that
 * sit in an image context, name a known registry host, or fall under a `--map` rule.
 */
export function scanFreeText(
  text: string,
  start: number,
  end: number,
  form: Form,
  ctx: ExtractContext,
  options: FreeTextOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const taken = new Set<number>();
  const add = (finding: Finding | undefined): boolean => {
    const first = finding?.fields[0];
    if (finding === undefined || first === undefined || taken.has(first.start)) return false;
    if (options.pureVariables !== true && !hasLiteralName(finding.value)) return false;
    taken.add(first.start);
    findings.push(finding);
    return true;
  };
  const builtVariables = new Set<string>();
  const pushVariables = new Set<string>();
  const pushedValues = new Set<string>();
  if (options.commands === true && toolHint.test(text.slice(start, end))) {
    for (const command of splitCommands(text, start, end)) {
      for (const a of findImageArguments(command)) {
        const value = text.slice(a.start, a.end);
        const only = /^\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]$/.exec(value);
        if (only !== null && a.build) builtVariables.add(only[1]!);
        if (a.push === true) {
          pushedValues.add(value);
          for (const m of value.matchAll(variableRead)) pushVariables.add((m[1] ?? m[2])!);
        }
        add(
          findingFor(form, verbatimSpot(text, a.start, a.end), "field", a.context, ctx, {
            build: a.build,
            role: a.push === true ? "push" : "pull",
          }),
        );
      }
    }
  }
  const assigned: Assigned[] = [];
  const hints = options.hints ?? new HintIndex(text, start, end, ctx);
  let lineStart = start;
  while (lineStart < end) {
    if (options.assignments !== true) {
      // Only a line with a hint can yield a token: go straight to the next one.
      const next = hints.next(lineStart);
      if (next === -1 || next >= end) break;
      lineStart = Math.max(lineStart, text.lastIndexOf("\n", next - 1) + 1);
    }
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl === -1 || nl > end ? end : nl;
    const line = text.slice(lineStart, lineEnd);
    if (options.assignments === true) {
      const m = assignment.exec(line);
      if (m !== null) {
        const variable = m[1]!;
        const spot = assignedValue(text, lineStart + m[0].length, lineEnd);
        const trust: Trust = imageName.test(variable)
          ? "field"
          : registryName.test(variable)
            ? "registry"
            : "free";
        const shaped =
          spot !== undefined && (trust !== "field" || qualified(text.slice(spot.start, spot.end)));
        const role = pushVariable.test(variable) ? "push" : "pull";
        const context = `${variable} ${m[2]}`;
        if (
          spot !== undefined &&
          shaped &&
          add(findingFor(form, verbatimSpot(text, spot.start, spot.end), trust, context, ctx, { role }))
        ) {
          assigned.push({ variable, index: findings.length - 1 });
        }
      }
    }
    const tokens = hints.holds(lineStart, lineEnd) ? line.matchAll(tokenPattern) : [];
    for (const m of tokens) {
      let value = m[0];
      while (/[.:,]$/.test(value) && !value.endsWith("}}")) value = value.slice(0, -1);
      const tokenStart = lineStart + m.index;
      if (value === "" || taken.has(tokenStart)) continue;
      // A token is an image only by a hint in itself (a known host, a rule's prefix) or by an image
      // context, whose words are hints, in the 200 characters before it (see imageContext): on a
      // long line (a Grafana dashboard's JSON) most tokens have neither, and need no more look.
      if (
        !hints.holds(tokenStart, tokenStart + m[0].length) &&
        !hints.holds(Math.max(lineStart, tokenStart - contextReach), tokenStart)
      )
        continue;
      const before = line.slice(0, m.index);
      const context = imageContext(before);
      const after = line[m.index + m[0].length];
      if (context === undefined && (after === "(" || before.endsWith("@") || before.endsWith("\\"))) continue;
      if (line.includes("github.") && gitHubRepository(line, m.index, m[0].length)) continue;
      // `FROM users` is SQL as often as a Dockerfile: a bare word after FROM needs `AS stage` to count.
      const stage = context === "FROM" && /^\s+AS\s+[\w.-]+\s*$/i.test(line.slice(m.index + value.length));
      // A bare literal name only: a value that is all template (`{{ include "x.image" . }}`) names no image.
      const bare = options.bareNames === true && bareImageKey.test(before) && !/[{$]/.test(value);
      if (context !== undefined && !stage && !bare && !qualified(value)) continue;
      add(
        findingFor(
          form,
          verbatimSpot(text, tokenStart, tokenStart + value.length),
          context === undefined ? "free" : "field",
          context ?? "known registry",
          ctx,
          { role: context === "FROM" ? "base" : "pull" },
        ),
      );
    }
    lineStart = lineEnd + 1;
  }
  for (const a of assigned) {
    const finding = findings[a.index];
    if (finding !== undefined && builtVariables.has(a.variable) && finding.kind !== "prefix") {
      findings[a.index] = {
        ...finding,
        build: true,
        context: `${finding.context} (built as $(${a.variable}))`,
      };
    }
    const pushes = findings[a.index];
    if (pushes !== undefined && pushVariables.has(a.variable) && pushes.role !== "push") {
      findings[a.index] = {
        ...pushes,
        role: "push",
        context: `${pushes.context} (pushed as $(${a.variable}))`,
      };
    }
  }
  return pushedValues.size === 0 ? findings : findings.map((f) => pushedAlso(f, pushedValues));
}

/**
 * A name this text also pushes is a push destination wherever it appears here (`docker build -t X`
 * and `docker tag X Y` before `docker push X`): it is made here, not pulled.
 */
function pushedAlso(finding: Finding, pushedValues: ReadonlySet<string>): Finding {
  return finding.role !== "push" && pushedValues.has(finding.value) ? { ...finding, role: "push" } : finding;
}

/**
 * Whether a value outside a structured field has enough shape to be an image: a `/`, a tag or a
 * digest. `IMAGE=katib-ui` in a script is a word, not a reference; `image: nginx` in YAML is read
 * by the YAML extractors instead.
 */
export function qualified(value: string): boolean {
  return /[/:@]/.test(value.replace(variablePattern, "x"));
}

/** Whether a value has literal name characters besides its variables (`$(IMG)` alone has none). */
function hasLiteralName(value: string): boolean {
  return /[a-z0-9]{2,}/.test(value.replace(variablePattern, ""));
}

/** Whether the token at `line[index, index + length)` is compared with `github.repository`. */
function gitHubRepository(line: string, index: number, length: number): boolean {
  return repositoryBefore.test(line.slice(0, index)) || repositoryAfter.test(line.slice(index + length));
}

/** How far back on its line a token's image context is looked for. */
const contextReach = 200;

/** The context a token after `before` (on the same line) sits in, if it is an image context. */
function imageContext(before: string): string | undefined {
  if (before.length > contextReach) before = before.slice(-contextReach);
  if (lineKeyContext.test(before) || inlineKeyContext.test(before)) return "image:";
  if (flagContext.test(before)) return "--image";
  if (helmSetContext.test(before)) return "--set";
  if (fromContext.test(before)) return "FROM";
  return undefined;
}

/** The single-word value of an assignment (quotes removed, trailing comment ignored), if it is one word. */
function assignedValue(
  text: string,
  from: number,
  lineEnd: number,
): { start: number; end: number } | undefined {
  let end = lineEnd;
  const hash = text.slice(from, lineEnd).search(/\s#/);
  if (hash >= 0) end = from + hash;
  while (end > from && /\s/.test(text[end - 1]!)) end--;
  let start = from;
  const q = text[start];
  if ((q === '"' || q === "'") && text[end - 1] === q && end - start >= 2) {
    start++;
    end--;
  }
  if (end <= start || /[\s"'`;]/.test(text.slice(start, end))) return undefined;
  return { start, end };
}
