import { type CompletionCommand, prefixesCommand } from "./spec.js";

/**
 * The fish completion script: `crossdock completion fish > ~/.config/fish/completions/crossdock.fish`.
 * One `complete` line a subcommand and a flag, each under a condition on the command typed so far.
 * https://fishshell.com/docs/current/completions.html
 */
export function renderFishCompletion(commands: readonly CompletionCommand[]): string {
  const lines: string[] = [];
  const at = (path: string): string => `-n ${fishQuote(`__crossdock_at ${fishQuote(path)}`)}`;
  for (const command of commands) {
    for (const name of command.subcommands) {
      const sub = commands.find((c) => c.path === (command.path === "" ? name : `${command.path} ${name}`));
      lines.push(
        `complete -c crossdock -f ${at(command.path)} -a ${name} -d ${fishQuote(sub?.description ?? "")}`,
      );
    }
    for (const flag of command.flags) {
      const short = flag.short ? ` -s ${flag.short.slice(1)}` : "";
      const value = flag.prefixValue ? " -x -a '(__crossdock_prefixes)'" : flag.takesValue ? " -r" : "";
      lines.push(
        `complete -c crossdock ${at(command.path)} -l ${flag.long.slice(2)}${short}${value} -d ${fishQuote(flag.description)}`,
      );
    }
    if (command.choices.length > 0)
      lines.push(`complete -c crossdock -f ${at(command.path)} -a ${fishQuote(command.choices.join(" "))}`);
    if (command.prefixArguments)
      lines.push(`complete -c crossdock ${at(command.path)} -a '(__crossdock_prefixes)'`);
  }
  const subcommandCases = commands
    .map((c) => `    case ${fishQuote(c.path)}\n      printf '%s\\n' ${c.subcommands.join(" ")}`)
    .join("\n");
  const valueFlags = commands.flatMap((c) =>
    c.flags
      .filter((f) => f.takesValue)
      .flatMap((f) => [f.long, f.short ?? []].flat().map((n) => fishQuote(`${c.path} ${n}`))),
  );
  return `# crossdock completion for fish. Install it with:
#   crossdock completion fish > ~/.config/fish/completions/crossdock.fish
# Generated from crossdock's command tree; registry prefixes come from ./crossdock.yaml.

function __crossdock_subcommands
  switch $argv[1]
${subcommandCases}
  end
end

function __crossdock_takes_value
  contains -- "$argv[1] $argv[2]" ${valueFlags.join(" ")}
end

# The command the words typed so far select: "", "copy", "ref normalize".
function __crossdock_path
  set -l words (commandline -opc)
  set -e words[1]
  set -l cmdpath ""
  set -l value 0
  for word in $words
    if test $value = 1
      set value 0
      continue
    end
    switch $word
      case '--*=*'
      case '-*'
        __crossdock_takes_value "$cmdpath" $word; and set value 1
      case '*'
        if contains -- $word (__crossdock_subcommands "$cmdpath")
          set cmdpath (string trim -- "$cmdpath $word")
        end
    end
  end
  echo $cmdpath
end

function __crossdock_at
  set -l current (__crossdock_path)
  test "$current" = "$argv[1]"
end

function __crossdock_prefixes
  sh -c ${fishQuote(prefixesCommand)}
end

${lines.join("\n")}
`;
}

/** A string as one single-quoted fish word (fish escapes \\ and ' inside single quotes). */
function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, "\\$&")}'`;
}
