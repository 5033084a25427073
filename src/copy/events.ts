/** What the copy engine reports as it works, for progress bars and logs. */
export type CopyEvent =
  | { readonly type: "blob-start"; readonly digest: string; readonly size: number; readonly target: string }
  | { readonly type: "blob-progress"; readonly digest: string; readonly bytes: number }
  | {
      readonly type: "blob-done";
      readonly digest: string;
      readonly size: number;
      readonly how: "copied" | "mounted" | "exists";
    }
  | { readonly type: "image-done"; readonly target: string; readonly status: string }
  | { readonly type: "waiting"; readonly message: string; readonly waitedMs: number }
  | { readonly type: "warning"; readonly message: string };

/** Receives copy events; must not throw. */
export type CopyEventListener = (event: CopyEvent) => void;
