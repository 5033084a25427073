import type { CopyEvent } from "../copy/events.js";
import { writeLine } from "./output.js";
import { ProgressDisplay } from "./progress.js";

/** Progress of the demo: bars while copying on a terminal, otherwise one plain line per step and image. */
export class DemoProgress {
  readonly #tty = process.stderr.isTTY === true && process.env["CI"] !== "true";
  #display: ProgressDisplay | undefined;
  #imageTotal = 0;

  step = (message: string): void => {
    this.stop();
    const total = /\bcopying (\d+) images?\b/i.exec(message);
    if (total !== null) this.#imageTotal = Number(total[1]);
    writeLine(`- ${message}`);
  };

  event = (event: CopyEvent): void => {
    if (!this.#tty) {
      if (event.type === "image-done") writeLine(`    ${event.status.padEnd(8)} ${event.target}`);
      else if (event.type === "warning") writeLine(`    warning: ${event.message}`);
      return;
    }
    if (this.#display === undefined) {
      this.#display = new ProgressDisplay();
      if (this.#imageTotal > 0) this.#display.setImageTotal(this.#imageTotal);
    }
    this.#display.onEvent(event);
  };

  stop(): void {
    this.#display?.stop();
    this.#display = undefined;
  }
}
