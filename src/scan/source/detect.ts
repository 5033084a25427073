import type { DetectFormat } from "../file-name.js";
import { extractSource } from "./extract.js";
import { languageOf } from "./literals.js";

/** Source code whose string literals we can lex: Go, Python, TypeScript/JavaScript, JVM languages. */
export const detectSource: DetectFormat = ({ path }) =>
  languageOf(path) !== undefined ? [extractSource] : undefined;
