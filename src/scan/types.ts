import type { MappingRule } from "../reference/mapping.js";
import type { Reference } from "../reference/reference.js";

/**
 * The file formats (forms) a reference can be found in. Each form has a folder `src/scan/<form>/`
 * (Renovate's layout): `detect.ts` (which files it claims) and `extract.ts` (a pure function from text to findings).
 */
export type Form =
  | "kubernetes"
  | "kustomize"
  | "helm-values"
  | "helm-template"
  | "dockerfile"
  | "compose"
  | "github-actions"
  | "gitlab-ci"
  | "makefile"
  | "shell"
  | "source"
  | "json"
  | "notebook"
  | "markdown"
  | "restructuredtext"
  | "jsonnet"
  | "pin-file";

/** Whether a reference is whole, holds a variable or template, or is a bare registry/namespace prefix. */
export type ReferenceKind = "complete" | "partial" | "prefix";

/** How the characters of a span are escaped where they sit, so a rewrite can escape new text the same way. */
export type Escaping =
  /** The characters are the value (plain YAML scalars, single-quoted YAML without quotes inside, shell words, Go raw strings, block scalars). */
  | "none"
  /** Inside a JSON string (or a YAML double-quoted scalar): `"`, `\` and control characters are backslash-escaped. */
  | "json-string"
  /** Inside a JSON string that itself sits inside another JSON string (a notebook cell holding JSON). */
  | "json-string-2";

/**
 * What the project does with the image an occurrence names: pulls it (a manifest, a values file,
 * `docker run`, compose, a workflow's `container:`), builds on it (`base`: a Dockerfile `FROM`,
 * ko's `defaultBaseImage`), or publishes to it (`push`: build-push-action `tags:`, `docker push`,
 * the target of `docker tag`, skaffold and goreleaser image names, `KO_DOCKER_REPO`, a variable
 * that feeds a push). Pulls and bases must resolve; a push destination names where CI will write,
 * so it may not exist yet.
 */
export type Role = "pull" | "base" | "push";

/** What role a field plays in a reference made of several fields (Helm values, kustomize images). */
export type FieldRole =
  | "image"
  | "registry"
  | "repository"
  | "tag"
  | "digest"
  | "kustomize-name"
  | "kustomize-newName"
  | "kustomize-newTag"
  | "kustomize-digest";

/** One contiguous piece of a reference in the file. Offsets are UTF-16 indices into the decoded text. */
export interface Field {
  readonly role: FieldRole;
  /** Start offset (inclusive) of the characters in the file text. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** The decoded value of the field (escaping removed). */
  readonly value: string;
  readonly escaping: Escaping;
}

/**
 * What an extractor reports: one logical reference, made of one field (`image`) or several
 * (split Helm fields, a kustomize `images:` entry).
 */
export interface Finding {
  readonly form: Form;
  readonly kind: ReferenceKind;
  /** The reference as written, after joining split fields and removing escaping. */
  readonly value: string;
  readonly fields: readonly Field[];
  /** Why this was taken for a reference (e.g. `image:`, `FROM`, `docker pull`, `known registry`). */
  readonly context: string;
  /** For a partial reference: the variables or templates it holds (`${TAG}`, `{{ .Values.image }}`). */
  readonly variables?: readonly string[];
  /** The value with variables substituted from defaults in the same file (Dockerfile `ARG`). */
  readonly resolved?: string;
  /** This occurrence names an image built or pushed here (`docker build -t`, `docker push`, build-push-action). */
  readonly build?: boolean;
  /** What the project does with the image; absent means `pull` (the occurrence always says). */
  readonly role?: Role;
  /**
   * A bare `ORG/name` (no host, tag or digest) found in free text by its shape alone. After a
   * repository scan it stays only on those the repository names as an image nowhere else: they are
   * not images (see settleEvidence), reported so a user sees what a mapping would have matched, and
   * never rewritten.
   */
  readonly noEvidence?: true;
}

/** A finding placed in a repository: what `crossdock scan` reports for each occurrence. */
export interface Occurrence extends Finding {
  /** Path relative to the scanned directory, with '/' separators. */
  readonly file: string;
  /** 1-based line and column of the first field. */
  readonly line: number;
  readonly column: number;
  /** Byte offsets of the first to the last field in the file's bytes (end exclusive). */
  readonly byteStart: number;
  readonly byteEnd: number;
  /** The exact characters of the file from the first field's start to the last field's end. */
  readonly text: string;
  /** The normalized reference (complete references only). */
  readonly reference?: Reference;
  /** For a bare prefix: the normalized prefix text (`docker.io/kubeflowkatib`). */
  readonly prefix?: string;
  /** Who owns the image it names (categorize): built or published here, or someone else's. */
  readonly owner?: Owner;
  /** Where the image it names is used across the repository (categorize). */
  readonly usage?: Usage;
  /** What the `--map` rules would turn the reference (or prefix) into, canonical; absent when no rule covers it. */
  readonly mapped?: string;
  /** What the project does with the image: `pull` unless an extractor knew better (see Role). */
  readonly role: Role;
}

/**
 * A log-in to a registry that CI or a script performs (docker/login-action's `registry:` input,
 * `docker login HOST`): after a switch, one that still names the source means CI logs in to the
 * old registry.
 */
export interface Login {
  /** The registry host as written (`docker.io`, `ghcr.io`); Docker Hub when the step names none. */
  readonly registry: string;
  /** Path relative to the scanned directory, with '/' separators. */
  readonly file: string;
  /** 1-based line and column of the host (of the step when it names none). */
  readonly line: number;
  readonly column: number;
  /** How the log-in is done (`docker/login-action`, `docker login`). */
  readonly context: string;
}

/** Who an image belongs to: built or published by this project (`own`), or someone else's (`third-party`). */
export type Owner = "own" | "third-party";

/**
 * Where an image is used: `core` (anything outside the others: manifests, Dockerfiles, CI), or only
 * in `example`s (examples, samples, notebooks, tutorials), `test`s, or `docs`, the first that holds.
 */
export type Usage = "core" | "example" | "test" | "docs";

/** A file that could not be read or parsed: reported, never fatal. */
export interface Problem {
  readonly file: string;
  readonly message: string;
  readonly line?: number;
  /** Not read at all (unreadable, binary, not text, over a size limit): it may hold references nobody saw. */
  readonly unread?: true;
}

/** What every extractor is given besides the text: where the file sits and the mapping rules, if any. */
export interface ExtractContext {
  /** Path relative to the scanned directory, with '/' separators (extractors may look at its name). */
  readonly file: string;
  /** `--map` rules: in free text, a token under a rule's `from` prefix counts as a reference. */
  readonly rules?: readonly MappingRule[];
  /** Where an extractor reports a part of the file it could not parse (offset into the text); it still returns what it found. */
  readonly report?: (message: string, offset: number) => void;
}

/** One distinct image (normalized name) across the repository. */
export interface ImageSummary {
  /** Normalized name, `domain/path`. */
  readonly name: string;
  readonly owner: Owner;
  readonly usage: Usage;
  /** Why the owner and usage were chosen, in words (`built by Makefile:12 (docker build -t)`). */
  readonly evidence: readonly string[];
  /** How many occurrences (complete, or partial/resolved ones that name it). */
  readonly count: number;
  readonly files: readonly string[];
  readonly tags: readonly string[];
  readonly digests: readonly string[];
  /** The name it would become under the `--map` rules. */
  readonly mapped?: string;
}

/** A directory a walk left out by default, with its reason (include/exclude and .gitignore aside). */
export interface SkippedDirectory {
  /** Path relative to the walked directory, '/'-separated. */
  readonly path: string;
  readonly reason: string;
}

/** What `scanRepository` returns. */
export interface ScanResult {
  readonly references: Occurrence[];
  readonly images: ImageSummary[];
  readonly problems: Problem[];
  /** Directories left out by default (installed dependencies, VCS data), each once, with why. */
  readonly skipped: readonly SkippedDirectory[];
  /** Log-ins to registries in CI workflows and scripts, by file and line. */
  readonly logins: readonly Login[];
}
