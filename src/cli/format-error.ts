/**
 * One line for an error: its message, then the causes' messages that add something.
 * Messages are built by the layers below without secrets, so nothing is redacted here.
 */
export function formatError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message !== "" && !parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ").replace(/\s*\n\s*/g, " ");
}
