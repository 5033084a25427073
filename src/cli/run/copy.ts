import { copyImageAsOci } from "../../copy/copy-as-oci.js";
import { copyImage } from "../../copy/copy-image.js";
import { CopySession } from "../../copy/session.js";
import { UsageError } from "../../errors.js";
import { checkDigest } from "../../reference/reference.js";
import { noteDockerMediaTypes } from "../../store/layout-readers.js";
import { OciArchiveRepository } from "../../store/oci-archive.js";
import { OciLayoutRepository } from "../../store/oci-layout.js";
import { openLocationPair } from "../../store/open-repository.js";
import { formatBytes } from "../format-bytes.js";
import { runInterruptible } from "../interrupt.js";
import { writeJson, writeLine } from "../output.js";
import { ProgressDisplay } from "../progress.js";
import { createClient } from "../registry-options.js";

/** The flags of `crossdock copy` (see commands/copy.ts). */
export interface CopyFlags {
  json?: boolean;
  quiet?: boolean;
  platform?: string[];
  referrers: boolean;
  format?: "oci";
  insecureRegistry?: string[];
}

/** Runs `crossdock copy SRC DST` once its flags are parsed. */
export async function runCopy(src: string, dst: string, flags: CopyFlags): Promise<void> {
  const client = createClient(flags);
  const progress = new ProgressDisplay({ quiet: flags.quiet === true || flags.json === true });
  const { source, target } = await openLocationPair(client, src, dst);
  try {
    const reference = source.reference ?? "latest";
    if (source.reference === undefined && source.registryRef === undefined) {
      throw new UsageError(`${src}: name the image to copy (oci:DIR:TAG)`);
    }
    const session = new CopySession({ onEvent: progress.onEvent });
    progress.setImageTotal(1);
    const copy = flags.format === "oci" ? copyImageAsOci : copyImage;
    const result = await runInterruptible((signal) =>
      copy(source.repository, target.repository, reference, {
        session,
        targetReference: target.reference ?? reference,
        referrers: flags.referrers,
        ...(flags.platform ? { platforms: flags.platform } : {}),
        signal,
      }),
    );
    // Copied by digest into a layout or archive: list it in index.json, where readers start.
    const layout = target.repository;
    const byDigest = target.reference === undefined && checkDigest(reference) === undefined;
    if (byDigest && (layout instanceof OciLayoutRepository || layout instanceof OciArchiveRepository)) {
      await layout.listUntagged(result.digest);
    }
    // Written byte for byte into a layout: say which readers will not take Docker media types.
    const note =
      target.registryRef === undefined && flags.format !== "oci"
        ? noteDockerMediaTypes(result.mediaType, target.repository.location)
        : undefined;
    const warnings = note === undefined ? result.warnings : [...result.warnings, note];
    progress.stop();
    const foreign = [...session.counters.foreignLayers];
    if (flags.json) {
      writeJson({
        ...result,
        warnings,
        bytes: session.counters.bytesCopied,
        blobs: session.counters.toJSON(),
      });
    } else {
      writeLine(
        `${result.status === "copied" ? "copied" : "already in sync"}: ${result.source} -> ${result.target}`,
      );
      writeLine(
        `digest ${result.digest}${result.platforms.length > 0 ? ` (${result.platforms.join(", ")})` : ""}`,
      );
      const c = session.counters;
      writeLine(
        `blobs: ${c.blobsCopied} copied (${formatBytes(c.bytesCopied)}), ${c.blobsMounted} mounted, ${c.blobsExisting} already there; ${result.attachments} signatures/attestations`,
      );
      for (const warning of warnings) writeLine(`warning: ${warning}`);
      if (foreign.length > 0)
        writeLine(`skipped ${foreign.length} non-distributable layer(s): ${foreign.join(", ")}`);
    }
  } finally {
    progress.stop();
    await source.repository.close?.();
    await target.repository.close?.();
    await client.close();
  }
}
