/** Commander collector for repeatable flags (`--map A --map B`). */
export function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
