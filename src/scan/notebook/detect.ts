import type { DetectFormat } from "../file-name.js";
import { extractNotebook } from "./extract.js";

/** Jupyter notebooks (`*.ipynb`). */
export const detectNotebook: DetectFormat = ({ ext }) => (ext === "ipynb" ? [extractNotebook] : undefined);
