/** One shell word: its characters in the file, and (for a quoted word) the span inside the quotes. */
export interface Word {
  readonly start: number;
  readonly end: number;
  readonly raw: string;
}

/**
 * Splits `text[start, end)` into simple commands of words, the way a shell reads them closely
 * enough to find `docker build -t X`: quotes, `$(...)`, `${...}` and backticks stay inside a word;
 * backslash-newline continues a line; newlines, `;`, `|`, `&` and parentheses end a command; `#`
 * at a word start comments out the rest of the line.
 */
export function splitCommands(text: string, start: number, end: number): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let wordStart = -1;
  const finishWord = (at: number): void => {
    if (wordStart >= 0) words.push({ start: wordStart, end: at, raw: text.slice(wordStart, at) });
    wordStart = -1;
  };
  const finishCommand = (at: number): void => {
    finishWord(at);
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "\n" || (text[i + 1] === "\r" && text[i + 2] === "\n"))) {
      finishWord(i);
      i += text[i + 1] === "\n" ? 2 : 3;
    } else if (c === "\n") {
      finishCommand(i);
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      finishWord(i);
      i++;
    } else if (c === ";" || c === "|" || c === "&" || c === "(" || c === ")") {
      finishCommand(i);
      i++;
    } else if (c === "#" && wordStart < 0) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 || nl > end ? end : nl;
    } else {
      if (wordStart < 0) wordStart = i;
      i = skipWordPart(text, i, end);
    }
  }
  finishCommand(end);
  return commands;
}

/** Skips one character of a word, or a whole quoted string or substitution; returns the next index. */
function skipWordPart(text: string, i: number, end: number): number {
  const c = text[i];
  if (c === '"' || c === "'" || c === "`") {
    let j = i + 1;
    while (j < end && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" && c !== "'" ? 2 : 1;
    return Math.min(j + 1, end);
  }
  if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) {
    const open = text[i + 1];
    const close = open === "(" ? ")" : "}";
    let depth = 0;
    let j = i + 1;
    for (; j < end && text[j] !== "\n"; j++) {
      if (text[j] === open) depth++;
      else if (text[j] === close && --depth === 0) break;
    }
    return Math.min(j + 1, end);
  }
  return i + 1;
}

/** The span of a word's value: inside its quotes when the whole word is quoted. */
export function unquote(word: Word, from = word.start): { start: number; end: number } {
  const first = word.raw[from - word.start];
  const last = word.raw[word.raw.length - 1];
  if ((first === '"' || first === "'") && last === first && word.end - from >= 2) {
    return { start: from + 1, end: word.end - 1 };
  }
  return { start: from, end: word.end };
}
