/**
 * One page of a sorted list: the entries after `last`, at most `n` of them, and the `Link`
 * header of the next page when more remain.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */
export function paginate(
  sorted: readonly string[],
  url: URL,
  pathname: string,
): { page: string[]; headers: Record<string, string> } {
  const last = url.searchParams.get("last");
  const nParam = url.searchParams.get("n");
  const n = nParam !== null && /^\d+$/.test(nParam) ? Number(nParam) : undefined;
  const after = last === null ? [...sorted] : sorted.filter((entry) => entry > last);
  if (n === undefined) return { page: after, headers: {} };
  const page = after.slice(0, n);
  const headers: Record<string, string> = {};
  const lastOfPage = page[page.length - 1];
  if (n > 0 && after.length > n && lastOfPage !== undefined) {
    const next = new URLSearchParams({ n: String(n), last: lastOfPage });
    headers["link"] = `<${pathname}?${next.toString()}>; rel="next"`;
  }
  return { page, headers };
}
