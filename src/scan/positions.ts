/**
 * Converts UTF-16 offsets of a text to 1-based line/column and to UTF-8 byte offsets. Built once per
 * file; lookups are a binary search over line starts and an incremental byte count.
 */
export class PositionIndex {
  private readonly lineStarts: number[] = [0];
  private readonly ascii: boolean;

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    // One byte per character exactly when every character is ASCII (a native count, not a regex pass).
    this.ascii = Buffer.byteLength(text, "utf8") === text.length;
  }

  /** 1-based line and column (column counted in UTF-16 code units, as editors and LSP do). */
  lineColumn(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  /** The UTF-8 byte offset of a UTF-16 offset. */
  byteOffset(offset: number): number {
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
