// CSV read in chunks of any size parses exactly like the whole text (CRLF split between chunks,
// multi-byte UTF-8 split between chunks, BOM, no final newline), and the size limits hold.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/runtime/data/errors.js";
import {
  parseCsv,
  readCsv,
  type CsvOptions,
  type CsvTable,
} from "../../../src/runtime/data/csv.js";
import { dataErrorMessage, tempDir } from "./fixtures/write.js";

const CHUNKS = [1, 2, 3, 7, 64];
const { dir, write } = tempDir();
let files = 0;

/** The table or the DataError's message, so outcomes compare with toEqual. */
function outcome(f: () => CsvTable): unknown {
  try {
    const t = f();
    return { ...t, values: [...t.values], lines: [...t.lines] };
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    return err.message;
  }
}

/** Parses `text` whole and from a file in chunks of each size; returns the whole parse. */
function sameInChunks(text: string, options: CsvOptions): unknown {
  const name = write(`f${files++}.csv`, text);
  const whole = outcome(() => parseCsv(text, name, options));
  for (const chunkBytes of CHUNKS)
    expect(
      outcome(() =>
        readCsv(join(dir, name), name, {
          ...options,
          limits: { chunkBytes },
        }),
      ),
    ).toEqual(whole);
  return whole;
}

const EOL = fc.constantFrom("\n", "\r\n", "\r");
const number = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc
    .double({ min: -1e30, max: 1e30, noNaN: true })
    .map((d) => String(Math.fround(d))),
  fc.constantFrom("1e3", "-2.5E-2", ".5", "+4", "7.", "0"),
);
const pad = fc.constantFrom("", " ", "  ", "\t");
const multibyte = fc.constantFrom("é", "日本", "😀", "ß", "€", "\u00a0");

/** A valid numeric CSV: rows of one width, padded cells, blank lines, any line endings. */
const validCsv = fc
  .record({
    width: fc.integer({ min: 1, max: 5 }),
    rows: fc.integer({ min: 0, max: 12 }),
    header: fc.boolean(),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
    seed: fc.integer(),
  })
  .chain(({ width, rows, header, bom, finalEol }) =>
    fc
      .record({
        names: fc.array(
          fc.array(fc.oneof(multibyte, fc.constantFrom("a", "b", "x1")), {
            minLength: 1,
            maxLength: 4,
          }),
          { minLength: width, maxLength: width },
        ),
        cells: fc.array(
          fc.array(fc.tuple(pad, number, pad), {
            minLength: width,
            maxLength: width,
          }),
          { minLength: rows, maxLength: rows },
        ),
        eols: fc.array(EOL, { minLength: rows + 2, maxLength: rows + 2 }),
        blanks: fc.array(fc.constantFrom("", "", " ", "\t"), {
          minLength: rows + 2,
          maxLength: rows + 2,
        }),
      })
      .map(({ names, cells, eols, blanks }) => {
        const lines = [
          ...(header ? [names.map((n) => n.join("")).join(",")] : []),
          ...cells.map((r) => r.map((c) => c.join("")).join(",")),
        ];
        let text = bom ? "\uFEFF" : "";
        lines.forEach((line, i) => {
          text += `${blanks[i]}${eols[i]}${line}`;
          if (i < lines.length - 1 || finalEol) text += eols[i + 1]!;
        });
        return { text, header };
      }),
  );

/** The old whole-file parser's result for a valid file: values and lines, by splitting. */
function oracle(
  text: string,
  header: boolean,
): { values: number[]; lines: number[] } {
  const rows = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const values: number[] = [];
  const lines: number[] = [];
  let skippedHeader = !header;
  rows.forEach((row, l) => {
    if (row.trim() === "") return;
    if (!skippedHeader) {
      skippedHeader = true;
      return;
    }
    values.push(...row.split(",").map((c) => Math.fround(Number(c.trim()))));
    lines.push(l + 1);
  });
  return { values, lines };
}

describe("readCsv in chunks", () => {
  it("parses valid files like the whole text, and like splitting on line breaks", () => {
    fc.assert(
      fc.property(validCsv, ({ text, header }) => {
        const t = sameInChunks(text, { header }) as {
          values: number[];
          lines: number[];
          names?: string[];
        };
        const want = oracle(text, header);
        expect(t.values).toEqual(want.values);
        expect(t.lines).toEqual(want.lines);
        expect(t.names !== undefined).toBe(header);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("rejects bad files with the same message whatever the chunk size", () => {
    const junk = fc.oneof(
      number,
      multibyte,
      fc.constantFrom("abc", "nan", "inf", "", "1e39", "0x10", "1 2", "\u0000"),
      fc.string({ maxLength: 4 }),
    );
    const line = fc
      .array(junk, { minLength: 1, maxLength: 4 })
      .map((c) => c.join(","));
    const text = fc
      .array(fc.tuple(line, EOL), { maxLength: 8 })
      .map((ls) => ls.map(([l, e]) => l + e).join(""));
    let rejected = 0;
    fc.assert(
      fc.property(text, fc.boolean(), (t, header) => {
        if (typeof sameInChunks(t, { header }) === "string") rejected++;
      }),
      { seed: 43, numRuns: 300 },
    );
    expect(rejected).toBeGreaterThan(100);
  });

  it("reads invalid UTF-8 as replacement characters, the same in every chunk size", () => {
    const broken = fc.constantFrom(
      [0xff],
      [0xe6, 0x97],
      [0xc3],
      [0x80, 0x80],
      [0xf0, 0x9f, 0x98],
    );
    fc.assert(
      fc.property(broken, fc.integer({ min: 0, max: 3 }), (bytes, row) => {
        const name = `u${files++}.csv`;
        const before = Buffer.from("1,2\n".repeat(row) + "1,");
        const data = Buffer.concat([
          before,
          Buffer.from(bytes),
          Buffer.from("\n3,4\n"),
        ]);
        writeFileSync(join(dir, name), data);
        const messages = CHUNKS.map((chunkBytes) =>
          dataErrorMessage(() =>
            readCsv(join(dir, name), name, {
              header: false,
              limits: { chunkBytes },
            }),
          ),
        );
        expect(new Set(messages).size).toBe(1);
        expect(messages[0]).toMatch(
          new RegExp(
            `^${name.replace(".", "\\.")}:${row + 1}: column 2 is "\uFFFD+", expected a finite real`,
          ),
        );
      }),
      { seed: 44, numRuns: 60 },
    );
  });
});
