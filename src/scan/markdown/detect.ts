import type { DetectFormat } from "../file-name.js";
import { extractMarkdown } from "./extract.js";

/** Markdown and MDX (`*.md`, `*.markdown`, `*.mdx`). */
export const detectMarkdown: DetectFormat = ({ ext }) =>
  ext === "md" || ext === "markdown" || ext === "mdx" ? [extractMarkdown] : undefined;
