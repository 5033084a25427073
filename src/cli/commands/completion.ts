import { Argument, type Command } from "commander";
import { writeText } from "../output.js";

const shells = ["bash", "zsh", "fish"] as const;

/** `crossdock completion bash|zsh|fish`: a completion script generated from this very command tree. */
export function registerCompletionCommand(program: Command): void {
  program
    .command("completion")
    .description("print a shell completion script (commands, flags, crossdock.yaml's registry prefixes)")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(shells))
    .addHelpText(
      "after",
      "\nbash: source <(crossdock completion bash)   zsh: source <(crossdock completion zsh)\nfish: crossdock completion fish > ~/.config/fish/completions/crossdock.fish",
    )
    .action(async (shell: (typeof shells)[number]) => {
      // Loaded only when asked for: every other command starts without the script templates.
      const { describeProgram } = await import("../completion/spec.js");
      const render = {
        bash: (await import("../completion/bash.js")).renderBashCompletion,
        zsh: (await import("../completion/zsh.js")).renderZshCompletion,
        fish: (await import("../completion/fish.js")).renderFishCompletion,
      }[shell];
      writeText(render(describeProgram(program)));
    });
}
