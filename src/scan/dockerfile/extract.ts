import { findingFor, verbatimSpot } from "../engine/finding.js";
import { scanFreeText } from "../engine/free-text.js";
import { mayHoldReference } from "../engine/hints.js";
import type { ExtractContext, Finding } from "../types.js";

const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Dockerfiles and Containerfiles: `FROM` (a `base`, with `--platform`, `AS`; global `ARG` defaults substituted
 * into `resolved`), `COPY --from=`, `RUN --mount=...,from=`, and the `# syntax=` directive. Stage
 * names and `scratch` are not images. An `ARG` whose default is a whole image used by a `FROM` is
 * reported at the default. Known-registry names in comments are reported as comments.
 */
export function extractDockerfile(text: string, context: ExtractContext): Finding[] {
  const out: Finding[] = [];
  const args = new Map<string, { value: string; start: number; end: number }>();
  const stages = new Set<string>();
  let seenInstruction = false;
  let sawFrom = false;
  for (let at = 0; at < text.length; ) {
    const nl = text.indexOf("\n", at);
    const lineEnd = nl === -1 ? text.length : nl;
    const raw = text.slice(at, lineEnd).replace(/\r$/, "");
    const indent = raw.length - raw.trimStart().length;
    const lineStart = at + indent;
    const line = raw.slice(indent);
    at = lineEnd + 1;
    if (line.startsWith("#")) {
      const syntax = /^#\s*syntax\s*=\s*(\S+)/i.exec(line);
      if (syntax !== null && !seenInstruction) {
        const start = lineStart + line.indexOf(syntax[1]!, syntax[0].length - syntax[1]!.length);
        push(
          out,
          findingFor(
            "dockerfile",
            verbatimSpot(text, start, start + syntax[1]!.length),
            "field",
            "# syntax=",
            context,
          ),
        );
      } else if (mayHoldReference(line, context)) {
        // `# based on the nvcr.io/org/base image`: known-registry names only, reported as comments.
        for (const found of scanFreeText(
          text,
          lineStart + 1,
          lineStart + line.length,
          "dockerfile",
          context,
        )) {
          out.push({ ...found, context: `in a comment (${found.context})` });
        }
      }
      continue;
    }
    const instruction = /^([A-Za-z]+)\s+/.exec(line);
    if (instruction === null) continue;
    seenInstruction = true;
    const keyword = instruction[1]!.toUpperCase();
    const rest = instruction[0].length;
    if (keyword === "ARG" && !sawFrom) {
      const arg = /^([A-Za-z_][A-Za-z0-9_]*)=(["']?)([^\s"']+)\2/.exec(line.slice(rest));
      if (arg !== null) {
        const start = lineStart + rest + arg[1]!.length + 1 + arg[2]!.length;
        args.set(arg[1]!, { value: arg[3]!, start, end: start + arg[3]!.length });
      }
    } else if (keyword === "FROM") {
      sawFrom = true;
      const words = [...line.slice(rest).matchAll(/\S+/g)];
      const image = words.find((w) => !w[0].startsWith("--"));
      if (image === undefined) continue;
      const asIndex = words.findIndex((w) => w[0].toUpperCase() === "AS");
      const stage = asIndex >= 0 ? words[asIndex + 1]?.[0] : undefined;
      const value = image[0];
      const start = lineStart + rest + image.index;
      if (value !== "scratch" && !stages.has(value.toLowerCase())) {
        const whole = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value);
        const arg = whole === null ? undefined : args.get(whole[1]!);
        if (arg !== undefined) {
          push(
            out,
            findingFor(
              "dockerfile",
              verbatimSpot(text, arg.start, arg.end),
              "field",
              `ARG ${whole![1]} (used in FROM)`,
              context,
              { role: "base" },
            ),
          );
        } else {
          const resolved = substitute(value, args);
          const options =
            resolved !== value && !resolved.includes("$")
              ? { resolved, role: "base" as const }
              : { role: "base" as const };
          push(
            out,
            findingFor(
              "dockerfile",
              verbatimSpot(text, start, start + value.length),
              "field",
              "FROM",
              context,
              options,
            ),
          );
        }
      }
      if (stage !== undefined) stages.add(stage.toLowerCase());
    } else if (keyword === "COPY" || keyword === "ADD" || keyword === "RUN") {
      const flag = keyword === "RUN" ? /--mount=\S*?\bfrom=([^,\s]+)/g : /--from=(\S+)/g;
      for (const f of line.slice(rest).matchAll(flag)) {
        const value = f[1]!;
        if (stages.has(value.toLowerCase()) || /^\d+$/.test(value)) continue;
        const start = lineStart + rest + f.index + f[0].length - value.length;
        const label = keyword === "RUN" ? "RUN --mount=from=" : `${keyword} --from=`;
        push(
          out,
          findingFor("dockerfile", verbatimSpot(text, start, start + value.length), "field", label, context),
        );
      }
    }
  }
  return out;
}

function push(out: Finding[], found: Finding | undefined): void {
  if (found !== undefined) out.push(found);
}

/** Substitutes `$X`, `${X}`, `${X:-default}` with the ARG defaults known before the first FROM. */
function substitute(value: string, args: ReadonlyMap<string, { value: string }>): string {
  return value.replace(
    variable,
    (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const known = args.get(braced ?? bare ?? "");
      if (known !== undefined) return known.value;
      return fallback ?? whole;
    },
  );
}
