import assert from "node:assert/strict";
import { test } from "node:test";
import { addReportSection, reportTitle } from "../../src/migrate/report-history.js";

const first = "## Container images: registry migration\n\n- 3 image(s): 3 copied\n";
const second = "## Container images: registry migration\n\n- 3 image(s): 0 copied, 3 already there\n";

test("each run adds a dated section above the earlier ones, which stay byte for byte", () => {
  const once = addReportSection(undefined, first, new Date("2026-12-01T10:00:30Z"));
  assert.equal(
    once,
    `${reportTitle}\n\n## Container images: registry migration, 2026-12-01 10:00 UTC\n\n- 3 image(s): 3 copied\n`,
  );
  const twice = addReportSection(once, second, new Date("2026-12-02T11:30:00Z"));
  const sections = twice.split(/^## /m).slice(1);
  assert.equal(sections.length, 2);
  assert.match(
    sections[0] ?? "",
    /^Container images: registry migration, 2026-12-02 11:30 UTC\n\n- 3 image\(s\): 0 copied/,
  );
  assert.match(
    sections[1] ?? "",
    /^Container images: registry migration, 2026-12-01 10:00 UTC\n\n- 3 image\(s\): 3 copied\n/,
  );
  assert.equal(twice.indexOf(reportTitle), 0);
  assert.equal(twice.lastIndexOf(reportTitle), 0, "one title");
});

test("a report without the title (hand-written, or from before) is kept whole as the earliest section", () => {
  const old = "## Container images: registry migration\n\nnotes a maintainer added\n";
  const text = addReportSection(old, second, new Date("2026-12-02T11:30:00Z"));
  assert.ok(text.endsWith("\n## Container images: registry migration\n\nnotes a maintainer added\n"), text);
  assert.ok(text.indexOf("0 copied") < text.indexOf("notes a maintainer added"));
});
