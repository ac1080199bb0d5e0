// Lines of a text that arrives in pieces: `\r\n`, `\n` and `\r` end a line alike, even when a
// `\r\n` is split between two pieces; a line too long to hold is refused as soon as it is.

export class LineSplitter {
  /** The 1-based number of the line being read. */
  private line = 1;
  /** The pieces of the current line seen so far. */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The last piece ended with `\r`: a `\n` starting the next one belongs to it. */
  private afterCR = false;

  constructor(
    /** Called with every line, blank ones too, and its 1-based number. */
    private readonly onLine: (text: string, line: number) => void,
    private readonly maxChars: number,
    /** Called (and must throw) when line `line` is longer than `maxChars`. */
    private readonly onTooLong: (line: number) => never,
  ) {}

  push(text: string): void {
    if (text === "") return;
    let start = this.afterCR && text.startsWith("\n") ? 1 : 0;
    this.afterCR = false;
    const ends = /\r\n|\n|\r/g;
    ends.lastIndex = start;
    for (let m = ends.exec(text); m !== null; m = ends.exec(text)) {
      this.emit(text.slice(start, m.index));
      start = m.index + m[0].length;
      if (m[0] === "\r" && start === text.length) this.afterCR = true;
    }
    if (start < text.length) this.hold(text.slice(start));
  }

  /** The text has ended: a last line without a line break is a line too. */
  end(): void {
    if (this.pendingChars > 0) this.emit("");
  }

  private hold(piece: string): void {
    this.pendingChars += piece.length;
    if (this.pendingChars > this.maxChars) this.onTooLong(this.line);
    this.pending.push(piece);
  }

  private emit(last: string): void {
    let text = last;
    if (this.pending.length > 0) {
      this.hold(last);
      text = this.pending.join("");
      this.pending = [];
      this.pendingChars = 0;
    } else if (text.length > this.maxChars) this.onTooLong(this.line);
    this.onLine(text, this.line);
    this.line++;
  }
}
