import type { DetectFormat } from "../file-name.js";
import { extractPinFile } from "./extract.js";

/**
 * Extension-less files not claimed by name or `#!` line, and not dotfiles: files such as `BASE_IMAGE`
 * or `IMAGE` that pin one reference. Checked last.
 */
export const detectPinFile: DetectFormat = ({ base, ext }) =>
  ext === "" && !base.startsWith(".") ? [extractPinFile] : undefined;
