import type { DetectFormat } from "../file-name.js";
import { extractDockerfile } from "./extract.js";

/** Dockerfiles and Containerfiles: `Dockerfile`, `Dockerfile.dev`, `api.Dockerfile`, `Containerfile-arm`. */
export const detectDockerfile: DetectFormat = ({ lower, ext }) =>
  /^(?:dockerfile|containerfile)(?:[.-].*)?$/.test(lower) || ext === "dockerfile" || ext === "containerfile"
    ? [extractDockerfile]
    : undefined;
