import type { DetectFormat } from "../file-name.js";
import { extractRestructuredtext } from "./extract.js";

/** reStructuredText (`*.rst`). */
export const detectRestructuredtext: DetectFormat = ({ ext }) =>
  ext === "rst" ? [extractRestructuredtext] : undefined;
