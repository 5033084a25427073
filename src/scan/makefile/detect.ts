import type { DetectFormat } from "../file-name.js";
import { extractMakefile } from "./extract.js";

/** Makefiles: `Makefile`, `GNUmakefile`, `*.mk`, `*.make`. */
export const detectMakefile: DetectFormat = ({ lower, ext }) =>
  lower === "makefile" || lower === "gnumakefile" || ext === "mk" || ext === "make"
    ? [extractMakefile]
    : undefined;
