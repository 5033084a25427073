import { findingFor } from "../engine/finding.js";
import { scanFreeText } from "../engine/free-text.js";
import type { ExtractContext, Finding } from "../types.js";

/** Names of a file that say it holds an image (`BASE_IMAGE`, `NGINX_BASE`, `IMG`). */
const imageFileName = /image|img|base/i;

/** Every line blank, a `#` comment or `key=value`: an env file such as `.github/env` or `versions`. */
const envLines = /^(?:[ \t]*(?:#[^\n]*|[A-Za-z_][\w.-]*[ \t]*=[^\n]*)?(?:\n|$))+$/;

/**
 * A file without an extension whose whole text is one word (`BASE_IMAGE`, `NGINX_BASE`, a version
 * pin file read by a Makefile: `$(shell cat BASE_IMAGE)`): a reference when it has a tag or digest,
 * or when the file's name says image and the word is no version number. A file of `key=value` lines
 * (`kind-image=org/node:v1` in a workflow's env file) is read as assignments.
 */
export function extractPinFile(text: string, context: ExtractContext): Finding[] {
  if (text.length > 65536) return [];
  const m = /^\s*(\S+)\s*$/.exec(text);
  if (m === null) {
    return text.includes("=") && envLines.test(text)
      ? scanFreeText(text, 0, text.length, "pin-file", context, { assignments: true })
      : [];
  }
  if (text.length > 512) return [];
  const value = m[1]!;
  const base = context.file.slice(context.file.lastIndexOf("/") + 1);
  const named = imageFileName.test(base) && !/^v?[0-9]/.test(value);
  if (!named && !/[:@]/.test(value)) return [];
  const start = text.indexOf(value);
  const spot = { start, end: start + value.length, value };
  const found = findingFor("pin-file", spot, "field", `file ${base}`, context);
  return found === undefined ? [] : [found];
}
