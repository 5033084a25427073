import type { Escaping } from "../scan/types.js";

/**
 * Escapes a new value for where the old one sat, so it reads back as the value: inside a JSON
 * string (or a YAML double-quoted scalar), twice for JSON inside a JSON string, as is elsewhere.
 */
export function escapeFor(value: string, escaping: Escaping): string {
  switch (escaping) {
    case "none":
      return value;
    case "json-string":
      return jsonEscape(value);
    case "json-string-2":
      return jsonEscape(jsonEscape(value));
  }
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
