import { type Command, Option } from "commander";
import { collectValues } from "../collect-values.js";
import { addRegistryOptions } from "../registry-flags.js";
import type { CopyFlags } from "../run/copy.js";

/** `crossdock copy [--json] SRC DST`: one image, every platform, digests kept. */
export function registerCopyCommand(program: Command): void {
  const command = program
    .command("copy")
    .description(
      "copy one image (tag or digest) with every platform, signature and attestation; digests never change",
    )
    .argument("<src>", "source: REF, docker://REF, oci:DIR[:TAG] or oci-archive:FILE.tar[:TAG]")
    .argument("<dst>", "target, in the same forms; the source's tag is used when the target names none")
    .option("--json", "print the result as JSON")
    .option("--quiet", "no progress output")
    .option(
      "--platform <os/arch[/variant]>",
      "copy only this platform (repeatable); the index digest then differs",
      collectValues,
    )
    .option("--no-referrers", "leave signatures and attestations behind")
    .addOption(
      new Option(
        "--format <format>",
        "store Docker manifests with OCI media types, for readers that take only those (the digest changes)",
      ).choices(["oci"]),
    );
  addRegistryOptions(command).action(async (src: string, dst: string, flags: CopyFlags) => {
    // The copy layer and the HTTP client load only when a copy runs (every other command starts faster without them).
    const { runCopy } = await import("../run/copy.js");
    await runCopy(src, dst, flags);
  });
}
