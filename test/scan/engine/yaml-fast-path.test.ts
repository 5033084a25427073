import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import fc from "fast-check";
import { tryFastYamlImages } from "../../../src/scan/engine/yaml/fast-path.js";
import { extractYamlImages } from "../../../src/scan/engine/yaml/images.js";
import type { Finding } from "../../../src/scan/types.js";
import { walkRepository } from "../../../src/scan/walk.js";
import { fixturePath } from "../../helpers/paths.js";

const ctx = { file: "x.yaml" };
/** The parser's answer: a no-op hook turns the fast path off. Comments are read apart from both. */
const parsed = (text: string) =>
  extractYamlImages(text, ctx, "kubernetes", () => []).filter((f) => !f.context.startsWith("in a comment"));

/** The fast path's findings on `lines`, after checking that it takes them and agrees with the parser. */
function takenAsParsed(lines: readonly string[]): { text: string; fast: Finding[] } {
  const text = lines.join("\n");
  const fast = tryFastYamlImages(text, ctx, "kubernetes");
  assert.notEqual(fast, undefined);
  assert.deepEqual(fast, parsed(text));
  return { text, fast: fast! };
}

describe("YAML fast path", () => {
  it("agrees with the parser on every YAML fixture it accepts", async () => {
    let accepted = 0;
    for (const area of ["forms", "negative", "repo-katib-like"]) {
      const root = fixturePath("scan", area);
      for (const file of (await walkRepository(root)).filter((f) => /\.ya?ml$/.test(f))) {
        const text = await readFile(`${root}/${file}`, "utf8");
        const fast = tryFastYamlImages(text, ctx, "kubernetes");
        if (fast === undefined) continue;
        accepted++;
        assert.deepEqual(fast, parsed(text), file);
      }
    }
    assert.ok(accepted >= 3, `fast path took only ${accepted} fixtures`);
  });

  it("reads past block scalars with no hint in them, brackets and all, as the parser does", () => {
    const { text, fast } = takenAsParsed([
      "kind: ConfigMap",
      "data:",
      "  script: |",
      "    echo {unbalanced [",
      "",
      "    done",
      "  items:",
      "    - >-",
      "      folded (text",
      "  image: ghcr.io/acme/app:v1 # after the blocks",
      "",
    ]);
    assert.deepEqual(
      fast.map((f) => text.slice(f.fields[0]!.start, f.fields[0]!.end)),
      ["ghcr.io/acme/app:v1"],
    );
    for (const declined of [
      text.replace("done", "docker run busybox:1.36"), // a hint in a block scalar
      "--- |\nimage: x/y:1\n", // a document that is one block scalar
      "a: |\n  x\nb: [c,\n  d]\nimage: x/y:1\n", // a flow collection over lines after a block
    ]) {
      assert.equal(tryFastYamlImages(declined, ctx, "kubernetes"), undefined, declined);
    }
  });

  it("reads one-line scalars with hints under other keys and in lists, as the parser's walk does", () => {
    const { fast } = takenAsParsed([
      "spec:",
      "  containers:",
      "    - name: app",
      "      image: ghcr.io/acme/app:v1",
      "      imagePullPolicy: IfNotPresent",
      "      command: docker run quay.io/acme/tool:v2",
      "      args:",
      "        - --registry=quay.io/acme",
      "        - '--sidecar-image=gcr.io/acme/side:v3'",
      "        - --verbose # docker",
      "      env:",
      "        - name: HELPER_IMAGE",
      '          value: "ghcr.io/acme/helper:v4"',
      "",
    ]);
    assert.deepEqual(
      fast.map((f) => f.value),
      [
        "ghcr.io/acme/app:v1",
        "quay.io/acme/tool:v2",
        "quay.io/acme",
        "gcr.io/acme/side:v3",
        "ghcr.io/acme/helper:v4",
      ],
    );
    for (const declined of [
      "spec:\n  note: see the\n    docker.io/acme/app:v1 image\n", // a plain scalar over two lines
      "spec:\n  note: docker: yes\n", // a nested mapping the parser rejects
      'spec:\n  note: "a\\tdocker.io/acme/app:v1"\n', // escapes
      "spec:\n  - - docker.io/acme/app:v1\n", // a list in a list
      "spec:\n  args: &a\n    - docker.io/acme/app:v1\n", // an anchor before the list
    ]) {
      assert.equal(tryFastYamlImages(declined, ctx, "kubernetes"), undefined, declined);
    }
  });

  it("declines what only a parser can read", () => {
    const declined = [
      "data:\n  a.yaml: |\n    image: x/y:1\n", // block scalar
      "containers: [{name: a,\n  image: x/y:1}]\n", // flow collection over lines
      "spec:\n  image: *base\n", // alias
      "spec:\n  args: [--image=quay.io/a/b:1]\n", // a reference outside an image key
      "spec:\n\timage: x/y:1\n", // tab
      "images:\n  - x/y:1\n", // list
    ];
    for (const text of declined) assert.equal(tryFastYamlImages(text, ctx, "kubernetes"), undefined, text);
  });

  it("matches the parser on generated manifests (property)", () => {
    const name = fc.stringMatching(/^[a-z0-9]{1,8}(?:[-.][a-z0-9]{1,8}){0,2}$/);
    const image = fc
      .tuple(
        fc.constantFrom("", "docker.io/", "ghcr.io/acme/", "localhost:5000/"),
        name,
        fc.option(name, { nil: undefined }),
      )
      .map(([host, repo, tag]) => `${host}${repo}${tag !== undefined ? `:${tag}` : ""}`);
    const quote = fc.constantFrom("", "'", '"');
    const entry = fc.oneof(
      fc.tuple(image, quote).map(([img, q]) => `image: ${q}${img}${q}`),
      fc.tuple(name, name).map(([k, v]) => `x${k}: ${v}`),
      // Hints outside image keys: free text under other keys, script keys and list items.
      fc
        .tuple(fc.constantFrom("args", "command", "note", "docker"), image, quote)
        .map(([k, img, q]) => `${k}: ${q}--image=${img}${q}`),
      fc
        .tuple(image, quote)
        .map(([img, q]) => `args:\n    - ${q}docker pull ${img}${q}\n    - --registry=${img}`),
    );
    const comment = fc.string({ maxLength: 20 }).map((s) => `# ${s.replace(/[\r\n]/g, " ")}`);
    // A document is a map of entries or a list of one-entry maps, with comments anywhere.
    const doc = fc
      .tuple(fc.boolean(), fc.array(fc.oneof(entry, comment), { maxLength: 6 }))
      .map(
        ([list, lines]) =>
          `spec:\n${lines.map((l) => (l.startsWith("#") ? l : `${list ? "  - " : "  "}${l}`)).join("\n")}`,
      );
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), (docs) => {
        const text = `${docs.join("\n---\n")}\n`;
        const fast = tryFastYamlImages(text, ctx, "kubernetes");
        if (fast !== undefined) assert.deepEqual(fast, parsed(text));
      }),
      { numRuns: 300 },
    );
  });
});
