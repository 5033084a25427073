import type { DetectFormat } from "../file-name.js";
import { extractShell } from "./extract.js";

/** Shell scripts and env files by name: `*.sh`, `*.bash`, `*.zsh`, `*.env`, `.env`. */
export const detectShell: DetectFormat = ({ lower, ext }) =>
  ext === "sh" || ext === "bash" || ext === "zsh" || ext === "env" || lower === ".env"
    ? [extractShell]
    : undefined;

/**
 * Extension-less scripts by their `#!` line (sh, bash, zsh, dash). Checked late, after the formats
 * that claim extension-less files by name (`Dockerfile`, `Makefile`).
 */
export const detectShellScript: DetectFormat = ({ ext }, text) =>
  ext === "" && /^#!.*\b(?:ba|z|da)?sh\b/.test(text.slice(0, 80)) ? [extractShell] : undefined;
