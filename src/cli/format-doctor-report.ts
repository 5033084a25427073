import type { DoctorFinding, DoctorReport } from "../migrate/doctor.js";

function findingLines(findings: readonly DoctorFinding[]): string[] {
  return findings.flatMap((f) => [
    `  ${f.blocking ? "blocking" : "note"}: ${f.message}`,
    ...(f.fix !== "" ? [`    fix: ${f.fix}`] : []),
  ]);
}

/** `crossdock doctor`'s report for people: one block per repository, then budgets, then a summary line. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    const access = !check.reachable
      ? "unreachable"
      : check.granted !== undefined
        ? `grants ${check.granted.join(",") || "nothing"}`
        : (check.auth ?? "");
    lines.push(`${check.role}  ${check.repository}  ${access}`, `  ${check.credentials}`);
    lines.push(...findingLines(check.findings));
  }
  for (const budget of report.budgets) {
    lines.push(
      `budget  ${budget.registry}  ${budget.remaining} of ${budget.limit} left, needs up to ${budget.needed}`,
    );
    lines.push(...findingLines(budget.findings));
  }
  lines.push(report.blocking === 0 ? "nothing blocks" : `${report.blocking} blocking`);
  return lines;
}
