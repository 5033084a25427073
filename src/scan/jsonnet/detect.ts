import type { DetectFormat } from "../file-name.js";
import { extractJsonnet } from "./extract.js";

/** Jsonnet (`*.jsonnet`, `*.libsonnet`). */
export const detectJsonnet: DetectFormat = ({ ext }) =>
  ext === "jsonnet" || ext === "libsonnet" ? [extractJsonnet] : undefined;
