import { UsageError } from "../errors.js";

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90s`, `10m`, `1h`, `500ms` or plain seconds into milliseconds; bad input is a UsageError. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (match === null) throw new UsageError(`${flag}: want a duration such as 90s, 10m or 1h, got "${value}"`);
  return Math.round(Number(match[1]) * (units[match[2] ?? "s"] ?? 1000));
}

/** Parses a whole number of at least 1 (`--jobs`, `--latest`); anything else is a UsageError naming the flag. */
export function parsePositiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag}: want a whole number of at least 1, got "${value}"`);
  return n;
}

/** Parses a whole number of at least 0 (`--reserve`). */
export function parseCount(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: want a whole number, got "${value}"`);
  return n;
}
