import { findingFor } from "../engine/finding.js";
import type { ExtractContext, Finding } from "../types.js";

/** Names of a file that say it holds an image (`BASE_IMAGE`, `NGINX_BASE`, `IMG`). */
const imageFileName = /image|img|base/i;

/**
 * A file without an extension whose whole text is one word (`BASE_IMAGE`, `NGINX_BASE`, a version
 * pin file read by a Makefile: `$(shell cat BASE_IMAGE)`): a reference when it has a tag or digest,
 * or when the file's name says image and the word is no version number.
 */
export function extractPinFile(text: string, context: ExtractContext): Finding[] {
  if (text.length > 512) return [];
  const m = /^\s*(\S+)\s*$/.exec(text);
  if (m === null) return [];
  const value = m[1]!;
  const base = context.file.slice(context.file.lastIndexOf("/") + 1);
  const named = imageFileName.test(base) && !/^v?[0-9]/.test(value);
  if (!named && !/[:@]/.test(value)) return [];
  const start = text.indexOf(value);
  const spot = { start, end: start + value.length, value };
  const found = findingFor("pin-file", spot, "field", `file ${base}`, context);
  return found === undefined ? [] : [found];
}
