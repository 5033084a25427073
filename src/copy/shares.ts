/**
 * Dividing a sync plan among N machines (a Kubernetes Indexed Job's pods, a GitHub Actions
 * matrix's jobs) with no coordinator: every shard computes the same division from the same plan.
 */

/** A repository's selected tags, as listed by the plan. */
export interface PlannedRepository {
  /** The repository's name under the sync's source prefix (`katib-ui`). */
  readonly repository: string;
  readonly tags: readonly string[];
}

/** One shard's work: whole repositories, or consecutive runs of one large repository's tags. */
export interface Share {
  readonly index: number;
  readonly repositories: readonly PlannedRepository[];
  /** How many tags the share holds (what the division balances). */
  readonly tagCount: number;
}

/**
 * Divides `plan` into `count` shares balanced by tag count. A repository stays whole unless it
 * holds more tags than one share's fair part (ceil(total / count)), so its shared layers are
 * fetched by one machine; a larger one is cut into runs of at most that many tags. Pieces go
 * largest first to the least loaded share (ties to the lower index), which keeps every share
 * within one piece of the others. The result depends only on the plan's content and `count`:
 * repositories and tags are sorted first, so the order of the listing does not matter.
 */
export function divideIntoShares(plan: readonly PlannedRepository[], count: number): Share[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`shares: ${count} is not a whole number ≥ 1`);
  const repositories = [...plan]
    .map((r) => ({ repository: r.repository, tags: [...new Set(r.tags)].sort(compareText) }))
    .sort((a, b) => compareText(a.repository, b.repository));
  const total = repositories.reduce((sum, r) => sum + r.tags.length, 0);
  const fairPart = Math.max(1, Math.ceil(total / count));
  const pieces = repositories
    .flatMap((r) => cutIntoRuns(r, fairPart))
    .sort((a, b) => b.tags.length - a.tags.length || compareText(a.repository, b.repository));
  const loads = Array.from({ length: count }, () => ({ pieces: [] as PlannedRepository[], tagCount: 0 }));
  for (const piece of pieces) {
    let least = 0;
    for (let i = 1; i < count; i++) if (loads[i]!.tagCount < loads[least]!.tagCount) least = i;
    loads[least]!.pieces.push(piece);
    loads[least]!.tagCount += piece.tags.length;
  }
  return loads.map((load, index) => ({
    index,
    repositories: mergeRuns(load.pieces),
    tagCount: load.tagCount,
  }));
}

/** Parses `--shard I/N` (I counts from 0, as `JOB_COMPLETION_INDEX` and a matrix index do). */
export function parseShard(text: string): { readonly index: number; readonly count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index >= count)
    throw new RangeError(`--shard ${text}: expected I/N with 0 ≤ I < N (for example 0/4)`);
  return { index, count };
}

function cutIntoRuns(repository: PlannedRepository, size: number): PlannedRepository[] {
  if (repository.tags.length <= size) return repository.tags.length === 0 ? [] : [repository];
  const runs: PlannedRepository[] = [];
  for (let start = 0; start < repository.tags.length; start += size)
    runs.push({ repository: repository.repository, tags: repository.tags.slice(start, start + size) });
  return runs;
}

/** Two runs of one repository that land in the same share become one entry again, in name order. */
function mergeRuns(pieces: readonly PlannedRepository[]): PlannedRepository[] {
  const byName = new Map<string, string[]>();
  for (const piece of pieces) {
    const tags = byName.get(piece.repository);
    if (tags) tags.push(...piece.tags);
    else byName.set(piece.repository, [...piece.tags]);
  }
  return [...byName.keys()]
    .sort(compareText)
    .map((repository) => ({ repository, tags: byName.get(repository)!.sort(compareText) }));
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
