/**
 * What test code says about image strings: a test's table may name made-up images that are still
 * images (`expected: "example.com/app:v1"`), and stand-ins that only fill an image slot
 * (`Image: "test"`, `"metrics-collector-image"`, `"image:A"`).
 */

/** Test files by their conventional names: Go, Python (pytest), TypeScript/JavaScript, JVM. */
const testPath =
  /(?:_test\.go|(?:^|\/)test_[^/]*\.py|_test\.py|(?:^|\/)conftest\.py|\.(?:test|spec)\.[cm]?[jt]sx?|Tests?\.(?:java|kt|scala|groovy))$|(?:^|\/)(?:__tests__|src\/test)\//;

/** Whether a path is test code by the naming conventions of its language's test runner. */
export function isTestFile(path: string): boolean {
  return testPath.test(path);
}

/** Words a test puts in an image slot to say "any image" (a whole name with no '/'). */
const placeholderWords: ReadonlySet<string> = new Set([
  "test",
  "fake",
  "dummy",
  "foo",
  "bar",
  "baz",
  "placeholder",
  "example",
  "invalid",
  "image",
]);

/**
 * Whether an image-slot value in test code is a stand-in rather than an image: its repository's last
 * component is `image` or ends in `-image`/`_image` (`"early-stopping-image"`, `"image:A"`), or the
 * whole name, without '/', is a placeholder word (`"test"`, `"fake:v1"`). A real short name
 * (`"nginx"`, `"postgres:17.4-alpine"`) is none of these.
 */
export function isStandIn(value: string): boolean {
  const name = value.replace(/@.*$/, "").replace(/:[\w][\w.-]*$/, "");
  const last = name.slice(name.lastIndexOf("/") + 1).toLowerCase();
  if (last === "image" || /[-_]image$/.test(last)) return true;
  return !name.includes("/") && placeholderWords.has(last);
}

/**
 * A whole literal that is a host-qualified name with a tag or digest (`example.com/app:v1`,
 * `registry.example/org/app@sha256:...`): in test code such a string is an image even on a line
 * that does not say so (a table's `expected:` or `want:` field), as no other common string has
 * that shape.
 */
const hostedTagged =
  /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]+)?\/[a-z0-9][a-z0-9._/-]*(?::[\w][\w.-]{0,127}|@sha256:[0-9a-f]+|:[\w][\w.-]{0,127}@sha256:[0-9a-f]+)$/;

/** Whether a test's literal has the shape of a host-qualified image with a tag or digest. */
export function isHostedTagged(value: string): boolean {
  return hostedTagged.test(value);
}
