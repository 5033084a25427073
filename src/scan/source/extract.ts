import { EmbeddedBuilder, embedJsonString, remapFindings } from "../engine/embed.js";
import { findingFor } from "../engine/finding.js";
import { qualified, scanFreeText } from "../engine/free-text.js";
import { HintIndex } from "../engine/hints.js";
import { extractEmbedded } from "../engine/yaml/images.js";
import type { ExtractContext, Finding } from "../types.js";
import { findStringLiterals, languageOf } from "./literals.js";
import { isHostedTagged, isStandIn, isTestFile } from "./test-code.js";

/** Code before a literal that makes it an image: `Image: "`, `image = "`, `WithImage("`, `image(`. */
const codeContext = /(?:\b\w*(?:image|img)\w*["']?\s*(?::|=|:=)\s*|\b\w*(?:image|img)\w*\s*\(\s*)$/i;
/**
 * Testcontainers, whose calls take an image first: Go modules' `postgres.Run(ctx, "`, Java's
 * `new PostgreSQLContainer<>("` and `DockerImageName.parse("`, Python's `PostgresContainer("`.
 * https://golang.testcontainers.org/modules/postgres/
 */
const testcontainersContext =
  /(?:\.Run\(\s*ctx\s*,\s*|\w*Container(?:<[^>]*>)?\(\s*|DockerImageName\.parse\(\s*)$/;
/**
 * Where a bare name (no '/', tag or digest) is an image in code: a Go struct field (`Image:
 * "alpine"`) and a Python keyword argument (`image='alpine'`). Not a dict or object key: there
 * `image` is as often a picture (`{"image": "hero"}`).
 */
const bareNameContext: Readonly<Record<string, RegExp>> = {
  go: /(?:^|[\s{,(])(?:[A-Z]\w*)?Image\s*:\s*$/,
  python: /(?:[(,]\s*(?:\w+_)?image\s*=\s*|^\s+(?:\w+_)?image=)$/,
};
/** A bare word that can be an image name (`alpine`, `postgres`, `kube-rbac-proxy`). */
const bareName = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** A comparison on a line that names an image (`assert.Equal(t, "nginx:1.25", c.Image)`, `== wantImage`). */
const comparison = /\b(?:Equal|Equals|assertEqual|toBe|toEqual)\b|[!=]==?/;
const imageIdentifier = /\w*(?:Image|image)\w*/;

/**
 * String literals in Go, Python, TypeScript/JavaScript and Java: a literal that is a reference in an
 * image context (`Image: "..."`, `image="..."`) or with a known registry host, commands and `FROM`
 * lines inside literals, and YAML documents in multi-line literals (Go raw strings, Python triple
 * quotes, templates, Java text blocks) with positions in this file.
 */
export function extractSource(text: string, context: ExtractContext): Finding[] {
  const language = languageOf(context.file);
  if (language === undefined) return [];
  const hints = new HintIndex(text, 0, text.length, context);
  if (hints.empty) return [];
  const out: Finding[] = [];
  const testCode = isTestFile(context.file);
  for (const literal of findStringLiterals(text, language)) {
    if (literal.end <= literal.start) continue;
    if (literal.comment === true) {
      if (hints.holds(literal.start, literal.end)) {
        out.push(...scanFreeText(text, literal.start, literal.end, "source", context, { hints }));
      }
      continue;
    }
    const content = text.slice(literal.start, literal.end);
    const lineStart = text.lastIndexOf("\n", literal.start - 2) + 1;
    const before = text.slice(lineStart, literal.start - 1);
    // In code, `image: "hero"` may name a picture: a bare word needs a '/', tag or digest to count.
    // The context needs `image` or `img` on the literal's line, a hint: that lookup goes first.
    const inImageContext =
      !/\s/.test(content) &&
      ((hints.holds(lineStart, literal.start - 1) &&
        ((qualified(content) && codeContext.test(before)) ||
          (bareName.test(content) && bareNameContext[language]?.test(before) === true))) ||
        (qualified(content) && testcontainersContext.test(before)) ||
        (tagged(content) && comparesImage(text, lineStart, literal.end)) ||
        (testCode && isHostedTagged(content)));
    // A test's stand-in in an image slot (`Image: "test"`, `"image:A"`) is no image to migrate.
    if (inImageContext && testCode && isStandIn(content)) continue;
    if (!inImageContext && !hints.holds(literal.start, literal.end)) continue;
    if (literal.escapes && content.includes("\\")) {
      const embedded = embedJsonString(text, literal.start, literal.end);
      if (embedded === undefined) continue;
      const inner = embedded.text.includes("\n")
        ? extractEmbedded(embedded, undefined, context, "source", 1)
        : scanFreeText(embedded.text, 0, embedded.text.length, "source", context, { commands: true });
      out.push(...remapFindings(inner, embedded));
      continue;
    }
    if (content.includes("\n")) {
      const b = new EmbeddedBuilder("none");
      b.appendVerbatim(text, literal.start, literal.end);
      const embedded = b.build();
      out.push(...remapFindings(extractEmbedded(embedded, undefined, context, "source", 1), embedded));
      continue;
    }
    const escaping = literal.escapes ? "json-string" : "none";
    if (inImageContext) {
      const spot = { start: literal.start, end: literal.end, value: content, escaping } as const;
      const found = findingFor("source", spot, "field", "image literal", context);
      if (found !== undefined) {
        out.push(found);
        continue;
      }
    }
    for (const found of scanFreeText(text, literal.start, literal.end, "source", context, {
      commands: true,
    })) {
      out.push(
        Object.assign({}, found, { fields: found.fields.map((f) => Object.assign({}, f, { escaping })) }),
      );
    }
  }
  return out;
}

/** Whether a literal may have a tag or digest (`nginx:1.25`, `x@sha256:...`): the grammar decides later. */
function tagged(content: string): boolean {
  return content.includes(":") || content.includes("@");
}

/** Whether the line of a literal compares it with something named like an image (a test's assertion). */
function comparesImage(text: string, lineStart: number, literalEnd: number): boolean {
  const nl = text.indexOf("\n", literalEnd);
  const line = text.slice(lineStart, nl === -1 ? text.length : nl);
  return comparison.test(line) && imageIdentifier.test(line.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, ""));
}
