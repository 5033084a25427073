import type { ExtractContext, Finding } from "../types.js";
import { extractEmbedded } from "../yaml/images.js";
import { extractJsonImages } from "./images.js";

/**
 * JSON files (fixtures, configs): `"image"` values, `"images"` arrays, and documents or commands
 * inside other strings, with escaped newlines and quotes, positioned in this file.
 */
export function extractJson(text: string, context: ExtractContext): Finding[] {
  return extractJsonImages(text, context, "json", extractEmbedded) ?? [];
}
