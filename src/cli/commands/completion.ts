import { Argument, type Command } from "commander";
import { renderBashCompletion } from "../completion/bash.js";
import { renderFishCompletion } from "../completion/fish.js";
import { describeProgram } from "../completion/spec.js";
import { renderZshCompletion } from "../completion/zsh.js";
import { writeText } from "../output.js";

const renderers = { bash: renderBashCompletion, zsh: renderZshCompletion, fish: renderFishCompletion };

/** `crossdock completion bash|zsh|fish`: a completion script generated from this very command tree. */
export function registerCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script (commands, flags, crossdock.yaml's registry prefixes)")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(Object.keys(renderers)))
    .addHelpText(
      "after",
      "\nbash: source <(crossdock completion bash)   zsh: source <(crossdock completion zsh)\nfish: crossdock completion fish > ~/.config/fish/completions/crossdock.fish",
    )
    .action((shell: keyof typeof renderers) => {
      writeText(renderers[shell](describeProgram(program)));
    });
}
