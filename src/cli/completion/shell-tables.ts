import { type CompletionCommand, prefixesCommand } from "./spec.js";

/**
 * The functions bash's and zsh's completion scripts share (both read this sh subset): a command
 * path's subcommands and flags, which flags take a value, where prefixes go, and the walk over the
 * words typed so far.
 */
export function renderShellTables(commands: readonly CompletionCommand[]): string {
  const cases = (pick: (c: CompletionCommand) => string): string =>
    commands.map((c) => `    ${JSON.stringify(c.path)}) echo ${shellQuote(pick(c))} ;;`).join("\n");
  const names = (c: CompletionCommand, keep: (f: CompletionCommand["flags"][number]) => boolean) =>
    c.flags.filter(keep).flatMap((f) => [f.long, f.short ?? []].flat().map((n) => `"${c.path} ${n}"`));
  const patterns = (list: string[]): string => (list.length > 0 ? list.join("|") : '"-"');
  return `_crossdock_subcommands() {
  case "$1" in
${cases((c) => c.subcommands.join(" "))}
  esac
}

_crossdock_choices() {
  case "$1" in
${cases((c) => c.choices.join(" "))}
  esac
}

_crossdock_flags() {
  case "$1" in
${cases((c) => c.flags.flatMap((f) => [f.long, f.short ?? []].flat()).join(" "))}
  esac
}

_crossdock_takes_value() {
  case "$1 $2" in
    ${patterns(commands.flatMap((c) => names(c, (f) => f.takesValue)))}) return 0 ;;
  esac
  return 1
}

_crossdock_prefix_flag() {
  case "$1 $2" in
    ${patterns(commands.flatMap((c) => names(c, (f) => f.prefixValue)))}) return 0 ;;
  esac
  return 1
}

_crossdock_prefix_arguments() {
  case "$1" in
    ${patterns(commands.filter((c) => c.prefixArguments).map((c) => JSON.stringify(c.path)))}) return 0 ;;
  esac
  return 1
}

_crossdock_prefixes() {
  ${prefixesCommand}
}

# Sets the caller's cmdpath (the command the words select: "", "copy", "ref normalize") and value
# (the flag whose value the next word is, if any), skipping flags and their values.
_crossdock_walk() {
  cmdpath="" value=""
  local word
  for word in "$@"; do
    if [ -n "$value" ]; then value=""; continue; fi
    case "$word" in
      --*=*) ;;
      -*) _crossdock_takes_value "$cmdpath" "$word" && value="$word" ;;
      *) case " $(_crossdock_subcommands "$cmdpath") " in
           *" $word "*) cmdpath="\${cmdpath:+$cmdpath }$word" ;;
         esac ;;
    esac
  done
}
`;
}

/** A word list as one single-quoted sh word. */
function shellQuote(words: string): string {
  return `'${words.replace(/'/g, "'\\''")}'`;
}
