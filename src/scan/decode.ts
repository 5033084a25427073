/** The encodings a scan reads and a rewrite writes back: UTF-8 (a BOM stays a character) and UTF-16 with a BOM. */
export type TextEncoding = "utf8" | "utf16le" | "utf16be";

/** A file's text and its encoding, or why it cannot be read as text. */
export type Decoded =
  | { readonly text: string; readonly encoding: TextEncoding }
  | { readonly problem: string };

/**
 * Decodes a file's bytes as the scan and the rewrite read them. UTF-16 needs its BOM (Windows
 * editors and PowerShell write it): without one, its NUL bytes make it binary. The BOM stays in the
 * text as U+FEFF, so a rewrite writes it back. A NUL byte in the first 8,000 bytes means binary
 * (git's test); bytes that are not UTF-8 are reported as such.
 */
export function decodeText(bytes: Buffer): Decoded {
  const bom = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : 0;
  if (bom === 0xfffe || bom === 0xfeff) {
    const encoding = bom === 0xfffe ? "utf16le" : "utf16be";
    if (bytes.length % 2 !== 0)
      return { problem: `${encoding} text with an odd number of bytes; not scanned` };
    const little = encoding === "utf16le" ? bytes : Buffer.from(bytes).swap16();
    return { text: little.toString("utf16le"), encoding };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1 && nul < 8000) {
    return { problem: `binary (a NUL byte at offset ${nul}; UTF-16 needs a BOM); not scanned` };
  }
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD") && Buffer.byteLength(text, "utf8") !== bytes.length) {
    return { problem: "not valid UTF-8 (nor UTF-16 with a BOM); not scanned" };
  }
  return { text, encoding: "utf8" };
}

/** The bytes of a text in an encoding: the inverse of decodeText. */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === "utf8") return Buffer.from(text, "utf8");
  const little = Buffer.from(text, "utf16le");
  return encoding === "utf16le" ? little : little.swap16();
}

/** The byte offset of a UTF-16 offset in a UTF-16 file: two bytes a code unit, the BOM included. */
export function utf16ByteOffset(offset: number): number {
  return offset * 2;
}
