import type { Command } from "commander";
import { formatReference, parseReference } from "../../reference/reference.js";
import { formatBytes } from "../format-bytes.js";
import { writeJson, writeLine } from "../output.js";
import { addRegistryOptions, type RegistryFlags } from "../registry-flags.js";

interface InspectFlags extends RegistryFlags {
  json?: boolean;
}

/** `crossdock inspect [--json] REF`: digest, media type, platforms with their digests, total size. */
export function registerInspectCommand(program: Command): void {
  const command = program
    .command("inspect")
    .description("show an image's digest, media type, platforms (with their digests) and total size")
    .argument("<ref>", "image reference (tag or digest)")
    .option("--json", "print a JSON object");
  addRegistryOptions(command).action(async (input: string, flags: InspectFlags) => {
    const ref = parseReference(input);
    const { createClient } = await import("../registry-options.js");
    const { inspectImage } = await import("../../registry/inspect-image.js");
    const client = createClient(flags);
    try {
      const summary = await inspectImage(client, ref);
      if (flags.json) {
        writeJson({ reference: formatReference(ref), ...summary });
        return;
      }
      writeLine(`Name:       ${formatReference(ref)}`);
      writeLine(`Digest:     ${summary.digest}`);
      writeLine(`Media type: ${summary.mediaType}`);
      writeLine("Platforms:");
      for (const p of summary.platforms)
        writeLine(`  ${p.platform.padEnd(16)} ${p.digest}  ${formatBytes(p.size)}`);
      writeLine(`Total size: ${formatBytes(summary.totalSize)} (${summary.totalSize} bytes)`);
    } finally {
      await client.close();
    }
  });
}
