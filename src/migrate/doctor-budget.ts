import { selectTags, type TagPolicy } from "../copy/tag-filter.js";
import type { Reference } from "../reference/reference.js";
import type { RegistryClient } from "../registry/client.js";
import type { DoctorFinding } from "./doctor-finding.js";

/** A source registry's pull budget now (read from a HEAD, which costs none) and the pulls the copy needs at most. */
export interface DoctorBudget {
  readonly registry: string;
  readonly remaining: number;
  readonly limit: number;
  /** One manifest GET per tag to copy from this registry (the tags the plan and the mappings select). */
  readonly needed: number;
  readonly findings: readonly DoctorFinding[];
}

/** A repository doctor checks, as the budget sees it: a source's tags to copy, and its listed tags' policy. */
export interface BudgetSubject {
  readonly role: string;
  readonly repo: Reference;
  /** Grows by the tags the policy selects. */
  readonly tags: Set<string>;
  readonly policy?: TagPolicy;
}

/**
 * Per source registry that states a pull budget (Docker Hub; `serve --pull-limit`): the budget now,
 * read from a HEAD of a tag to copy (HEADs cost none), against one pull per tag to copy. A listed
 * repository's tags are listed and selected by its mapping's policy first.
 * https://docs.docker.com/docker-hub/usage/pulls/
 */
export async function checkBudgets(
  subjects: readonly BudgetSubject[],
  client: RegistryClient,
  signal: AbortSignal | undefined,
): Promise<DoctorBudget[]> {
  const needed = new Map<string, number>();
  for (const subject of subjects) {
    if (subject.role !== "source") continue;
    const { repo } = subject;
    if (subject.policy !== undefined) {
      const listed = await client.listTags(repo, signal ? { signal } : {}).catch(() => []);
      for (const tag of selectTags(listed, subject.policy)) subject.tags.add(tag);
    }
    const first = [...subject.tags][0];
    if (first === undefined) continue;
    const ref = first.startsWith("sha256:") ? { ...repo, digest: first } : { ...repo, tag: first };
    await client.headManifest(ref, signal).catch(() => undefined);
    needed.set(repo.domain, (needed.get(repo.domain) ?? 0) + subject.tags.size);
  }
  return [...needed].flatMap(([registry, count]) => {
    const state = client.rateLimit(registry);
    if (state === undefined) return [];
    const budget = { registry, remaining: state.remaining, limit: state.limit, needed: count };
    return [{ ...budget, findings: count > state.remaining ? [budgetFinding(budget)] : [] }];
  });
}

function budgetFinding(budget: Omit<DoctorBudget, "findings">): DoctorFinding {
  return {
    blocking: true,
    message: `${budget.registry} has ${budget.remaining} of ${budget.limit} pulls left; the copy needs up to ${budget.needed} (one per tag)`,
    fix:
      budget.registry === "docker.io"
        ? "log in to Docker Hub (DOCKERHUB_USERNAME and DOCKERHUB_TOKEN) for a larger budget, narrow the tags, or let sync wait (--max-wait)"
        : "narrow the tags, use credentials with a larger budget, or let sync wait for the budget (--max-wait)",
  };
}
