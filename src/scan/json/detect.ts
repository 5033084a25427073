import type { DetectFormat } from "../file-name.js";
import { extractJson } from "./extract.js";

/** JSON files (`*.json`; comments as in `tsconfig.json` or `renovate.json` are allowed). */
export const detectJson: DetectFormat = ({ ext }) => (ext === "json" ? [extractJson] : undefined);
