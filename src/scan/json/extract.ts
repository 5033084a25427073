import { extractJsonImages } from "../engine/json/images.js";
import { extractEmbedded } from "../engine/yaml/images.js";
import type { ExtractContext, Finding } from "../types.js";
import { blankJsonComments } from "./blank-comments.js";

/**
 * JSON files (fixtures, configs): `"image"` values, `"images"` arrays, and documents or commands
 * inside other strings, with escaped newlines and quotes, positioned in this file. Comments and
 * trailing commas (JSONC) are read as blanks.
 */
export function extractJson(text: string, context: ExtractContext): Finding[] {
  return extractJsonImages(blankJsonComments(text) ?? text, context, "json", extractEmbedded) ?? [];
}
