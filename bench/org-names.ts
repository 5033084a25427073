/** Names in the synthetic organisation: org-seed.ts writes them, org-bench.ts asks for them. */

/** The name of repository `index` of the organisation, under its `org/` prefix. */
export function orgRepository(index: number): string {
  return `app-${String(index).padStart(4, "0")}`;
}

/** The name of tag `index` of a repository. */
export function orgTag(index: number): string {
  return `v1.0.${index}`;
}
