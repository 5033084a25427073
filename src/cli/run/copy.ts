import { copyLocation } from "../../copy/copy-location.js";
import { CopySession } from "../../copy/session.js";
import { UsageError } from "../../errors.js";
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
    const result = await runInterruptible((signal) =>
      copyLocation(source, target, reference, {
        session,
        referrers: flags.referrers,
        ...(flags.platform ? { platforms: flags.platform } : {}),
        ...(flags.format ? { format: flags.format } : {}),
        signal,
      }),
    );
    progress.stop();
    const foreign = [...session.counters.foreignLayers];
    if (flags.json) {
      writeJson({
        ...result,
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
      for (const warning of result.warnings) writeLine(`warning: ${warning}`);
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
