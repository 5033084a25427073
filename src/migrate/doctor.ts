import type { TagPolicy } from "../copy/tag-filter.js";
import { UsageError } from "../errors.js";
import type { MappingRule, Prefix } from "../reference/mapping.js";
import type { Reference } from "../reference/reference.js";
import type { AccessCheck } from "../registry/check-access.js";
import type { RegistryClient } from "../registry/client.js";
import { checkAnonymousPull, describeNotPublic } from "../verify/visibility.js";
import type { CrossdockConfig } from "./config/types.js";
import { checkBudgets, type DoctorBudget } from "./doctor-budget.js";
import type { DoctorFinding } from "./doctor-finding.js";
import type { PlannedCopy } from "./plan-copies.js";
import { planMigration } from "./plan-migration.js";

export type { DoctorBudget } from "./doctor-budget.js";
export type { DoctorFinding } from "./doctor-finding.js";

/** What doctor needs: the rules in play, crossdock.yaml (for listed repositories, tag policies, mirrors), two clients. */
export interface DoctorOptions {
  /** The repository: its references decide which repositories and tags the copy needs (migrate's plan). */
  readonly dir: string;
  readonly rules: readonly MappingRule[];
  readonly config?: CrossdockConfig;
  /** The client the copy would use (its credentials are the ones checked). */
  readonly client: RegistryClient;
  /** A client without credentials: what a stranger's pull sees (GHCR visibility). */
  readonly anonymousClient: RegistryClient;
  readonly signal?: AbortSignal;
}

/** What doctor found about one repository in play. */
export interface DoctorCheck {
  /** `source` is pulled from; `target` and `mirror` are pushed to. */
  readonly role: "source" | "target" | "mirror";
  readonly registry: string;
  /** `registry/path`, the repository whose scopes were asked for. */
  readonly repository: string;
  readonly reachable: boolean;
  /** Where the credentials come from (never the secret). */
  readonly credentials: string;
  /** What the token grants (`pull`, `push`), or undefined when it cannot be read (basic auth, opaque token, refused). */
  readonly granted?: readonly string[];
  readonly auth?: AccessCheck["kind"];
  readonly findings: readonly DoctorFinding[];
}

/** Every repository checked; `blocking` counts the findings that would make the migration fail. */
export interface DoctorReport {
  readonly checks: readonly DoctorCheck[];
  readonly budgets: readonly DoctorBudget[];
  readonly blocking: number;
}

interface Subject {
  readonly role: DoctorCheck["role"];
  readonly repo: Reference;
  /** The tags the copy takes from (source) or writes to (target) this repository. */
  readonly tags: Set<string>;
  /** The tag policy of a repository crossdock.yaml lists: its tags are listed and selected too. */
  policy?: TagPolicy;
}

/**
 * Checks, before anything is copied, that each registry in play (mapping sources and targets, the
 * third-party mirror) answers, which credentials will be used, and that they grant pull on sources
 * and push on targets (read from the token; nothing is written); a source's pull budget against the
 * tags the mappings select; and for GHCR targets, whether the package exists and is public.
 * A UsageError when nothing is mapped.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { config, signal } = options;
  const plan = await planMigration({
    dir: options.dir,
    // planMigration adds crossdock.yaml's rules itself.
    rules: options.rules.filter((rule) => !config?.rules.includes(rule)),
    ...(config ? { config } : {}),
    client: options.client,
    anonymousClient: options.anonymousClient,
    ...(signal ? { signal } : {}),
  });
  const subjects = subjectsOf(plan.rules, plan.copies, config);
  if (subjects.length === 0) {
    throw new UsageError("nothing to check: give --map FROM=TO or a crossdock.yaml with mappings");
  }
  const checks: DoctorCheck[] = [];
  for (const subject of subjects) checks.push(await checkSubject(subject, options));
  const budgets = await checkBudgets(subjects, options.client, signal);
  const blocking = [...checks, ...budgets].reduce(
    (n, c) => n + c.findings.filter((f) => f.blocking).length,
    0,
  );
  return { checks, budgets, blocking };
}

/**
 * The repositories in play: each planned copy's source and target (the references in the
 * repository, third-party mirrors included), each repository crossdock.yaml lists, and where
 * neither names one, the mapping's prefixes themselves.
 */
function subjectsOf(
  rules: readonly MappingRule[],
  copies: readonly PlannedCopy[],
  config: CrossdockConfig | undefined,
): Subject[] {
  const subjects = new Map<string, Subject>();
  const add = (role: Subject["role"], repo: Reference, tag?: string, policy?: TagPolicy): void => {
    const key = `${role} ${repo.name}`;
    const subject = subjects.get(key) ?? {
      role,
      repo: { domain: repo.domain, path: repo.path, name: repo.name },
      tags: new Set(),
    };
    if (tag !== undefined) subject.tags.add(tag);
    if (policy !== undefined) subject.policy = policy;
    subjects.set(key, subject);
  };
  const under = (prefix: Prefix, repository: string): Reference => {
    const path = [prefix.path, repository].filter((p) => p !== "").join("/");
    return { domain: prefix.domain, path, name: `${prefix.domain}/${path}` };
  };
  const mirror = config?.thirdParty.action === "mirror" ? config.thirdParty.mirror : undefined;
  for (const copy of copies) {
    const tag = copy.reference.startsWith("sha256:") ? undefined : copy.reference;
    add("source", copy.source, copy.reference);
    add(
      mirror !== undefined && copy.target.name.startsWith(`${under(mirror, "").name}/`) ? "mirror" : "target",
      copy.target,
      tag,
    );
  }
  for (const rule of rules) {
    const mapping = config?.mappings.find((m) => m.rule === rule);
    for (const repository of mapping?.repositories ?? []) {
      add("source", under(rule.from, repository), undefined, mapping?.policy);
      add("target", under(rule.to, repository));
    }
    const from = under(rule.from, "").name;
    const named = [...subjects.values()].some(
      (s) => s.role === "source" && (s.repo.name === from || s.repo.name.startsWith(`${from}/`)),
    );
    if (!named) {
      add("source", under(rule.from, ""));
      add("target", under(rule.to, ""));
    }
  }
  return [...subjects.values()];
}

async function checkSubject(subject: Subject, options: DoctorOptions): Promise<DoctorCheck> {
  const { client, signal } = options;
  const { repo, role } = subject;
  const base = { role, registry: repo.domain, repository: repo.name };
  let access: AccessCheck;
  try {
    access = await client.checkAccess(repo, signal);
  } catch (error) {
    signal?.throwIfAborted();
    const message = error instanceof Error ? error.message : String(error);
    return {
      ...base,
      reachable: false,
      credentials: client.describeCredentials(repo.domain),
      findings: [
        {
          blocking: true,
          message: `${repo.domain} does not answer GET /v2/: ${message}`,
          fix: `check the host name and the network; a registry on plain HTTP needs --insecure-registry ${repo.domain} (or insecure: true under registries: in crossdock.yaml)`,
        },
      ],
    };
  }
  const credentials = client.describeCredentials(repo.domain);
  const findings = [...accessFindings(subject, access, credentials)];
  const granted = access.kind === "token" ? access.actions : undefined;
  if (role !== "source" && repo.domain === "ghcr.io") {
    findings.push(...(await ghcrFindings(subject, options)));
  }
  return {
    ...base,
    reachable: true,
    credentials,
    auth: access.kind,
    ...(granted !== undefined ? { granted } : {}),
    findings,
  };
}

/** The scope a role needs, and what is missing from the access the registry grants. */
function accessFindings(subject: Subject, access: AccessCheck, credentials: string): DoctorFinding[] {
  const { repo, role } = subject;
  const needed = role === "source" ? ["pull"] : ["pull", "push"];
  const scope = `repository:${repo.path}:${needed.join(",")}`;
  switch (access.kind) {
    case "open":
      return [];
    case "refused":
      return [
        {
          blocking: true,
          message: `${repo.domain} refused the credentials (${credentials}): ${access.message}`,
          fix: `log in again or fix the credentials (see "Credentials" in the README); they need ${scope}`,
        },
      ];
    case "basic":
      return [
        {
          blocking: false,
          message: `${repo.domain} uses basic auth: whether ${needed.join(" and ")} on ${repo.path} are allowed cannot be checked without writing`,
          fix: `make sure the account (${credentials}) may ${needed.join(" and ")} ${repo.path}`,
        },
      ];
    case "token": {
      if (access.actions === undefined) {
        return [
          {
            blocking: false,
            message: `${repo.domain}'s token is not a JWT: the scopes it grants cannot be read`,
            fix: `make sure the credentials grant ${scope}`,
          },
        ];
      }
      const missing = needed.filter((a) => !access.actions?.includes(a));
      if (missing.length === 0) return [];
      const grants = access.actions.length > 0 ? access.actions.join(",") : "nothing";
      return [
        {
          blocking: true,
          message: `the token for ${repo.name} grants ${grants}, not ${missing.join(",")}`,
          fix: `grant ${missing.join(" and ")}: the credentials need ${scope}${pushFix(repo, missing)}`,
        },
      ];
    }
  }
}

/** GHCR's extra advice for push: the token's scope and the repository link. */
function pushFix(repo: Reference, missing: readonly string[]): string {
  if (repo.domain !== "ghcr.io" || !missing.includes("push")) return "";
  const [owner, name] = repo.path.split("/");
  const github = `https://github.com/${owner}/${name ?? owner}`;
  // GHCR refuses a workflow token for a package not linked to its repository:
  // https://docs.github.com/en/packages/learn-github-packages/connecting-a-repository-to-a-package
  return (
    `; on GHCR: a token with write:packages, or in a workflow permissions: packages: write ` +
    `(${github}/settings/actions), and the label org.opencontainers.image.source=${github} on the image ` +
    `so the package is linked to the repository`
  );
}

/**
 * Whether a GHCR package exists and is public: an anonymous HEAD of a known tag (the first tag the
 * copy writes, else `latest`). 404 is a package not pushed yet (created private on first push);
 * 401 or 403 one that exists and is private.
 * https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility
 */
async function ghcrFindings(subject: Subject, options: DoctorOptions): Promise<DoctorFinding[]> {
  const target: Reference = { ...subject.repo, tag: [...subject.tags][0] ?? "latest" };
  const pull = await checkAnonymousPull(options.anonymousClient, target, options.signal);
  if (pull.kind === "public") return [];
  const [owner, name] = subject.repo.path.split("/");
  const label = `org.opencontainers.image.source=https://github.com/${owner}/${name ?? owner}`;
  if (pull.kind === "error") {
    return [
      { blocking: false, message: `${subject.repo.name}: visibility unknown (${pull.message})`, fix: "" },
    ];
  }
  if (pull.answer.startsWith("404")) {
    return [
      {
        blocking: false,
        message: `${subject.repo.name} does not exist yet: GHCR creates it private on the first push`,
        fix: `set the label ${label} on the image, and make the package public after the first copy`,
      },
    ];
  }
  return [
    {
      blocking: true,
      message: describeNotPublic(target, subject.repo.name, pull.answer),
      fix: `change its visibility to public; link it to the repository with the label ${label}`,
    },
  ];
}
