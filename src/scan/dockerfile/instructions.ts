/** One Dockerfile instruction, its continuation lines joined. */
export interface DockerfileInstruction {
  /** The keyword, upper case (`FROM`, `RUN`, `LABEL`, ...). */
  readonly keyword: string;
  /** The rest of the instruction, continuation lines joined with a space, comments inside it dropped. */
  readonly args: string;
  /** The 1-based line the instruction starts on. */
  readonly line: number;
}

/**
 * Splits a Dockerfile into its instructions, as BuildKit's parser reads them: a line ending in the
 * escape character (`\`, or what a leading `# escape=` directive names) continues on the next;
 * comment lines and empty lines inside an instruction are skipped. For checks of a Dockerfile as a
 * whole (the base, the user, the entry point); the scan's extractor keeps exact spans instead.
 * https://docs.docker.com/reference/dockerfile/#format
 */
export function readDockerfileInstructions(text: string): DockerfileInstruction[] {
  const lines = text.split(/\r?\n/);
  const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(lines.find((l) => l.trim() !== "") ?? "");
  const escapeChar = directive?.[1] ?? "\\";
  const out: DockerfileInstruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith("#") || line === "") return;
    const continues = line.endsWith(escapeChar);
    const part = continues ? line.slice(0, -1).trim() : line;
    pending ??= { parts: [], line: i + 1 };
    if (part !== "") pending.parts.push(part);
    if (continues) return;
    const joined = pending.parts.join(" ");
    const keyword = /^[A-Za-z]+/.exec(joined)?.[0] ?? "";
    if (keyword !== "")
      out.push({
        keyword: keyword.toUpperCase(),
        args: joined.slice(keyword.length).trim(),
        line: pending.line,
      });
    pending = undefined;
  });
  return out;
}
