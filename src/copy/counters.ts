/** What a run did to blobs and manifests, summed over every image. */
export class CopyCounters {
  blobsCopied = 0;
  blobsMounted = 0;
  blobsExisting = 0;
  bytesCopied = 0;
  manifestsPushed = 0;
  manifestsExisting = 0;
  readonly foreignLayers = new Set<string>();

  /** A plain object for reports and --json. */
  toJSON(): CopyCountersJson {
    return {
      blobsCopied: this.blobsCopied,
      blobsMounted: this.blobsMounted,
      blobsExisting: this.blobsExisting,
      bytesCopied: this.bytesCopied,
      manifestsPushed: this.manifestsPushed,
      manifestsExisting: this.manifestsExisting,
      foreignLayers: [...this.foreignLayers],
    };
  }
}

/** The JSON form of CopyCounters. */
export interface CopyCountersJson {
  readonly blobsCopied: number;
  readonly blobsMounted: number;
  readonly blobsExisting: number;
  readonly bytesCopied: number;
  readonly manifestsPushed: number;
  readonly manifestsExisting: number;
  readonly foreignLayers: readonly string[];
}
