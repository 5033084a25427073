import type { Command } from "commander";

/** One flag as completion offers it. */
export interface CompletionFlag {
  /** `--platform`. */
  readonly long: string;
  /** `-q`, when there is one. */
  readonly short?: string;
  readonly description: string;
  /** The flag takes a value (`--platform <os/arch>`): the next word is that value. */
  readonly takesValue: boolean;
  /** Its value is a registry prefix or image (`--from <prefix>`): crossdock.yaml's prefixes are offered. */
  readonly prefixValue: boolean;
}

/** One command (or the program itself, path "") as completion offers it. */
export interface CompletionCommand {
  /** The words that select it: "" for the program, "copy", "ref normalize". */
  readonly path: string;
  readonly description: string;
  /** The names of its subcommands. */
  readonly subcommands: readonly string[];
  readonly flags: readonly CompletionFlag[];
  /** Its arguments name images or registries (`<src>`, `<ref...>`): crossdock.yaml's prefixes are offered. */
  readonly prefixArguments: boolean;
  /** The values its arguments may take, where commander knows them (`completion <shell>`). */
  readonly choices: readonly string[];
}

/** Value and argument names that stand for an image or a registry prefix. */
const prefixNames: ReadonlySet<string> = new Set(["prefix", "src", "dst", "ref", "repo"]);

/**
 * A shell command that prints the registry prefixes of `./crossdock.yaml` (each mapping's `from`
 * and `to`, the third-party `mirror`), one a line: cheap enough to run on every Tab, so they follow
 * the repository the user stands in. A line-wise read, not a YAML parser: a prefix on a line of its
 * own (`from: docker.io/x`, `- from: "docker.io/x"`) is what `crossdock init` writes.
 */
export const prefixesCommand =
  "[ -f crossdock.yaml ] && sed -n -E " +
  `'s/^[[:space:]]*(-[[:space:]]*)?(from|to|mirror):[[:space:]]*["'"'"']?([^"'"'"'#[:space:]]+).*/\\3/p' crossdock.yaml`;

/**
 * Every command of the program, flags and all, read from commander's own tree: completion never
 * lists a command or a flag by hand, so it cannot fall behind the CLI.
 */
export function describeProgram(program: Command): CompletionCommand[] {
  const out: CompletionCommand[] = [];
  const visit = (command: Command, path: string): void => {
    const flags: CompletionFlag[] = command.options.map((option) => {
      const value = /[<[]([\w-]+)/.exec(option.flags)?.[1];
      return {
        long: option.long ?? option.flags,
        ...(option.short ? { short: option.short } : {}),
        description: option.description,
        takesValue: option.required || option.optional,
        prefixValue: value !== undefined && prefixNames.has(value),
      };
    });
    flags.push({ long: "--help", description: "show help", takesValue: false, prefixValue: false });
    out.push({
      path,
      description: command.description(),
      subcommands: command.commands.map((c) => c.name()),
      flags,
      prefixArguments: command.registeredArguments.some((a) => prefixNames.has(a.name())),
      choices: command.registeredArguments.flatMap((a) => a.argChoices ?? []),
    });
    for (const sub of command.commands) visit(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, "");
  return out;
}
