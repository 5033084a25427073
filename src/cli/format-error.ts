import { CrossdockError } from "../errors.js";
import { redactSecrets } from "../redact-secrets.js";

/**
 * An error for people: its message, then the causes' messages that add something. One line,
 * unless the error's own message lists several problems (a config file's), one per line.
 * The layers below redact third-party text where it enters; redactSecrets runs once more here, so
 * a secret quoted by a cause nobody redacted (a library's error) is not printed either.
 */
export function formatError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const raw = current instanceof Error ? current.message : String(current);
    const message = depth === 0 ? raw.trim() : raw.replace(/\s*\n\s*/g, " ");
    if (message !== "" && !parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return redactSecrets(parts.join(": "));
}

/** An error for scripts (`--json`): its stable code (README "Error codes"), or `UNEXPECTED` for one crossdock did not make, and formatError's message. */
export function jsonError(error: unknown): { code: string; message: string } {
  return { code: error instanceof CrossdockError ? error.code : "UNEXPECTED", message: formatError(error) };
}
