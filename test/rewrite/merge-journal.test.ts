import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeJournal } from "../../src/rewrite/merge-journal.js";

const entry = (file: string, line: number, before: string, after: string) => ({
  file,
  line,
  ordinal: 0,
  before,
  after,
});

test("a later rewrite adds to the journal; an entry whose text it replaced again is dropped", () => {
  const first = [entry("a.yaml", 1, "x/app:1", "t/app:1"), entry("b.yaml", 3, "x/db:2", "t/db:2")];
  assert.deepEqual(mergeJournal(first, [entry("c.yaml", 1, "x/ui:1", "t/ui:1")]), [
    ...first,
    entry("c.yaml", 1, "x/ui:1", "t/ui:1"),
  ]);
  const reverse = [entry("a.yaml", 1, "t/app:1", "docker.io/x/app:1")];
  assert.deepEqual(mergeJournal(first, reverse), [first[1], reverse[0]], "a.yaml:1 was rewritten again");
  assert.deepEqual(mergeJournal(first, []), first);
});
