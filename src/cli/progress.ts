import { createRequire } from "node:module";
import type cliProgress from "cli-progress";
import type { CopyEvent } from "../copy/events.js";
import { formatBytes } from "./format-bytes.js";

/**
 * Shows a copy's progress: on a terminal, bars for bytes (with rate and ETA) and images, and the
 * current transfers; otherwise (CI logs, pipes) one plain line per finished image. Writes to
 * stderr so stdout stays the result (a table or --json).
 */
export class ProgressDisplay {
  readonly #tty: boolean;
  readonly #quiet: boolean;
  #bars: cliProgress.MultiBar | undefined;
  #bytesBar: cliProgress.SingleBar | undefined;
  #imagesBar: cliProgress.SingleBar | undefined;
  #bytesTotal = 0;
  #bytesDone = 0;
  #imagesDone = 0;
  #imagesTotal = 0;
  readonly #active = new Map<string, { size: number; done: number }>();
  readonly #started = Date.now();

  constructor(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}) {
    const stream = options.stream ?? process.stderr;
    this.#quiet = options.quiet ?? false;
    this.#tty = !this.#quiet && stream.isTTY === true && process.env["CI"] !== "true";
    if (this.#tty) {
      // Loaded only when bars are drawn: piped, --json and --quiet runs start faster without it.
      const bars = createRequire(import.meta.url)("cli-progress") as typeof cliProgress;
      this.#bars = new bars.MultiBar(
        {
          stream,
          clearOnComplete: true,
          hideCursor: true,
          format: " {label} |{bar}| {valueText} / {totalText} {extra}",
          barsize: 30,
          etaBuffer: 50,
        },
        bars.Presets.shades_classic,
      );
      this.#bytesBar = this.#bars.create(1, 0, {
        label: "bytes ",
        valueText: "0 B",
        totalText: "?",
        extra: "",
      });
      this.#imagesBar = this.#bars.create(1, 0, {
        label: "images",
        valueText: "0",
        totalText: "0",
        extra: "",
      });
    }
  }

  /** How many images the run will visit (the images bar's total). */
  setImageTotal(total: number): void {
    this.#imagesTotal = total;
    this.#imagesBar?.setTotal(Math.max(1, total));
    this.#render();
  }

  /** Feeds one copy event. */
  onEvent = (event: CopyEvent): void => {
    switch (event.type) {
      case "blob-start":
        this.#bytesTotal += event.size;
        this.#active.set(event.digest, { size: event.size, done: 0 });
        break;
      case "blob-progress": {
        this.#bytesDone += event.bytes;
        const active = this.#active.get(event.digest);
        if (active) active.done += event.bytes;
        break;
      }
      case "blob-done":
        this.#active.delete(event.digest);
        break;
      case "image-done":
        this.#imagesDone++;
        if (!this.#tty && !this.#quiet) process.stderr.write(`${event.status.padEnd(8)} ${event.target}\n`);
        break;
      case "waiting":
        this.#log(`${event.message} (waited ${Math.round(event.waitedMs / 1000)} s)`);
        break;
      case "warning":
        this.#log(`warning: ${event.message}`);
        break;
    }
    this.#render();
  };

  #log(line: string): void {
    if (this.#quiet) return;
    if (this.#bars) this.#bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  #render(): void {
    if (!this.#bytesBar || !this.#imagesBar) return;
    const transfers = [...this.#active.entries()]
      .slice(0, 3)
      .map(([digest, t]) => `${digest.slice(7, 19)} ${Math.floor((100 * t.done) / Math.max(1, t.size))}%`)
      .join("  ");
    this.#bytesBar.setTotal(Math.max(1, this.#bytesTotal));
    const seconds = Math.max(0.001, (Date.now() - this.#started) / 1000);
    const rate = this.#bytesDone / seconds;
    const left = this.#bytesTotal - this.#bytesDone;
    const eta = rate > 0 && left > 0 ? ` eta ${formatSeconds(left / rate)}` : "";
    this.#bytesBar.update(this.#bytesDone, {
      valueText: formatBytes(this.#bytesDone),
      totalText: formatBytes(this.#bytesTotal),
      extra: `${formatBytes(rate)}/s${eta}  ${transfers}`,
    });
    this.#imagesBar.update(this.#imagesDone, {
      valueText: String(this.#imagesDone),
      totalText: String(this.#imagesTotal),
    });
  }

  /** Removes the bars (call before printing the summary). */
  stop(): void {
    this.#bars?.stop();
  }
}

/** `42s`, `3m05s`: for an ETA. */
function formatSeconds(seconds: number): string {
  const whole = Math.ceil(seconds);
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}
