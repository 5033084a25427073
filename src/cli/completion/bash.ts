import { renderShellTables } from "./shell-tables.js";
import type { CompletionCommand } from "./spec.js";

/**
 * The bash completion script: `source <(crossdock completion bash)`. Walks the words typed so far
 * to find the command (skipping flags and their values), then offers its subcommands, its flags,
 * crossdock.yaml's prefixes where a registry or image goes, and file names elsewhere.
 * https://www.gnu.org/software/bash/manual/html_node/Programmable-Completion.html
 */
export function renderBashCompletion(commands: readonly CompletionCommand[]): string {
  return `# crossdock completion for bash. Load it with: source <(crossdock completion bash)
# Generated from crossdock's command tree; registry prefixes come from ./crossdock.yaml.

${renderShellTables(commands)}
_crossdock() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath value
  _crossdock_walk "\${COMP_WORDS[@]:1:COMP_CWORD-1}"
  COMPREPLY=()
  local words=""
  if [ -n "$value" ]; then
    _crossdock_prefix_flag "$cmdpath" "$value" && words="$(_crossdock_prefixes)"
  elif [[ "$cur" == -* ]]; then
    words="$(_crossdock_flags "$cmdpath")"
  else
    words="$(_crossdock_subcommands "$cmdpath") $(_crossdock_choices "$cmdpath")"
    words="\${words# }"
    words="\${words% }"
    [ -z "$words" ] && _crossdock_prefix_arguments "$cmdpath" && words="$(_crossdock_prefixes)"
  fi
  # Nothing offered: -o default completes file names.
  [ -n "$words" ] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
}

complete -o default -F _crossdock crossdock
`;
}
