import { renderShellTables } from "./shell-tables.js";
import type { CompletionCommand } from "./spec.js";

/**
 * The zsh completion script: `source <(crossdock completion zsh)` after compinit, or saved as
 * `_crossdock` in a directory of $fpath. The same walk as bash's, with zsh's compadd and _files.
 * https://zsh.sourceforge.io/Doc/Release/Completion-System.html
 */
export function renderZshCompletion(commands: readonly CompletionCommand[]): string {
  return `#compdef crossdock
# crossdock completion for zsh. Load it with: source <(crossdock completion zsh) (after compinit)
# Generated from crossdock's command tree; registry prefixes come from ./crossdock.yaml.

${renderShellTables(commands)}
_crossdock() {
  local cmdpath value
  local -a candidates
  _crossdock_walk "\${(@)words[2,CURRENT-1]}"
  if [[ -n "$value" ]]; then
    _crossdock_prefix_flag "$cmdpath" "$value" && candidates=(\${(f)"$(_crossdock_prefixes)"})
  elif [[ "$PREFIX" == -* ]]; then
    candidates=(\${=$(_crossdock_flags "$cmdpath")})
  else
    candidates=(\${=$(_crossdock_subcommands "$cmdpath")} \${=$(_crossdock_choices "$cmdpath")})
    (( \${#candidates} )) || ! _crossdock_prefix_arguments "$cmdpath" || candidates=(\${(f)"$(_crossdock_prefixes)"})
  fi
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then compadd -a candidates; else _files; fi
}

if [ "$funcstack[1]" = "_crossdock" ]; then _crossdock "$@"; else compdef _crossdock crossdock; fi
`;
}
