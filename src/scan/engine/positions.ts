/**
 * Converts UTF-16 offsets of a text to 1-based line/column and to UTF-8 byte offsets. Built once per
 * file; line starts are found as far as the offsets asked for (most references are found before a
 * file's end), and lookups are a binary search over them and an incremental byte count.
 */
export class PositionIndex {
  private readonly lineStarts: number[] = [0];
  /** Every line start up to here is in `lineStarts`: the next newline search starts here. */
  private searchedTo = 0;
  /** Whether every character is ASCII, once a byte offset was asked for. */
  private ascii: boolean | undefined;

  constructor(private readonly text: string) {}

  /** 1-based line and column (column counted in UTF-16 code units, as editors and LSP do). */
  lineColumn(offset: number): { line: number; column: number } {
    const { lineStarts } = this;
    while (this.searchedTo <= offset && this.searchedTo < this.text.length) {
      const nl = this.text.indexOf("\n", this.searchedTo);
      if (nl === -1) this.searchedTo = this.text.length;
      else {
        lineStarts.push(nl + 1);
        this.searchedTo = nl + 1;
      }
    }
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  }

  /** The UTF-8 byte offset of a UTF-16 offset. */
  byteOffset(offset: number): number {
    // One byte per character exactly when every character is ASCII (a native count, not a regex pass).
    this.ascii ??= Buffer.byteLength(this.text, "utf8") === this.text.length;
    if (this.ascii) return offset;
    const line = this.lineColumn(offset).line - 1;
    const lineStart = this.lineStarts[line]!;
    return this.lineByteStart(line) + Buffer.byteLength(this.text.slice(lineStart, offset), "utf8");
  }

  private readonly byteStarts: number[] = [0];

  private lineByteStart(line: number): number {
    while (this.byteStarts.length <= line) {
      const k = this.byteStarts.length;
      const prev = this.lineStarts[k - 1]!;
      this.byteStarts.push(
        this.byteStarts[k - 1]! + Buffer.byteLength(this.text.slice(prev, this.lineStarts[k]!), "utf8"),
      );
    }
    return this.byteStarts[line]!;
  }
}
