import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { parseReference, repositoryOf } from "../../reference/reference.js";
import { writeJson, writeLine } from "../output.js";
import { addRegistryOptions, type RegistryFlags } from "../registry-flags.js";

interface TagsFlags extends RegistryFlags {
  json?: boolean;
}

/** `crossdock tags [--json] REPO`: every tag of a repository, one a line (all pages read). */
export function registerTagsCommand(program: Command): void {
  const command = program
    .command("tags")
    .description("list every tag of a repository")
    .argument("<repo>", "repository (no tag or digest)")
    .option("--json", "print a JSON array");
  addRegistryOptions(command).action(async (input: string, flags: TagsFlags) => {
    const ref = parseReference(input);
    if (ref.tag !== undefined || ref.digest !== undefined) {
      throw new UsageError(`tags takes a repository, not an image: drop the tag or digest from "${input}"`);
    }
    const { createClient } = await import("../registry-options.js");
    const client = createClient(flags);
    try {
      const tags = await client.listTags(repositoryOf(ref));
      if (flags.json) writeJson(tags);
      else for (const tag of tags) writeLine(tag);
    } finally {
      await client.close();
    }
  });
}
