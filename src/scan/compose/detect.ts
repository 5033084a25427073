import { type DetectFormat, isYamlName } from "../file-name.js";
import { extractCompose } from "./extract.js";

/** Compose files: `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`, `compose-dev.yaml`. */
export const detectCompose: DetectFormat = (name) =>
  isYamlName(name) && /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/.test(name.lower)
    ? [extractCompose]
    : undefined;
