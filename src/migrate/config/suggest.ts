/**
 * The known name closest to a mistyped one, or undefined when none is close: the same name in
 * another case or spelling convention (`third_party`, `ThirdParty`), or one or two edits away
 * (`mapings`, `exlude`), or one the typed name begins (`password` for `passwordEnv`). Short names
 * get one edit only, so `to` does not suggest `tags`.
 */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const fold = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, "");
  const folded = fold(name);
  const same = known.find((candidate) => fold(candidate) === folded);
  if (same !== undefined) return same;
  // `password` for `passwordEnv`, `token` for `tokenEnv`: a known name the typed one begins.
  const longer =
    folded.length >= 4 ? known.find((candidate) => fold(candidate).startsWith(folded)) : undefined;
  if (longer !== undefined) return longer;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(folded, fold(candidate));
    const allowed = Math.max(1, Math.min(2, Math.floor(Math.max(folded.length, candidate.length) / 4)));
    if (distance <= allowed && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
