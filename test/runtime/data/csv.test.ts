// Numeric CSV parsing: headers, spaces, CRLF, line numbers, and every rejected row.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../../src/runtime/data/csv.js";
import { dataErrorMessage } from "./fixtures/write.js";

describe("parseCsv", () => {
  it("reads a header, spaces, CRLF and blank lines, keeping line numbers", () => {
    const text = "a, b ,c\r\n 1, 2.5 ,-3e2\r\n\r\n.5,+4,0\r\n";
    const t = parseCsv(text, "x.csv", { header: true });
    expect(t.names).toEqual(["a", "b", "c"]);
    expect([t.n, t.width]).toEqual([2, 3]);
    expect([...t.values]).toEqual([1, 2.5, -300, 0.5, 4, 0]);
    expect([...t.lines]).toEqual([2, 4]);
  });

  it("reads a file without a header or final newline", () => {
    const t = parseCsv("1,2\n3,4", "x.csv", { header: false });
    expect([...t.values]).toEqual([1, 2, 3, 4]);
    expect(t.names).toBeUndefined();
    expect([...t.lines]).toEqual([1, 2]);
  });

  it("returns no rows for a header alone", () => {
    expect(parseCsv("a,b\n", "x.csv", { header: true }).n).toBe(0);
  });

  it("rejects a row with another column count, naming its line", () => {
    expect(
      dataErrorMessage(() =>
        parseCsv("1,2,3,4\n1,2,3,4\n1,2,3,4,5\n", "data/x.csv", {
          header: false,
        }),
      ),
    ).toBe(
      "data/x.csv:3: 5 columns, expected 4 like line 1 (every row must have the same number of columns)",
    );
  });

  it("rejects rows that do not match the header", () => {
    expect(
      dataErrorMessage(() =>
        parseCsv("a,b\n1,2,3\n", "x.csv", { header: true }),
      ),
    ).toBe("x.csv:2: 3 columns, expected 2 like the header");
  });

  it("rejects a non-number, naming line, column and the view reading it", () => {
    const rows = Array.from({ length: 15 }, () => "1,2,3,4").join("\n");
    const text = `a,b,c,d\n${rows}\n1,2,abc,4\n`;
    const describeColumn = (c: number) =>
      c < 4 ? "view x : real[4]" : undefined;
    expect(
      dataErrorMessage(() =>
        parseCsv(text, "data/x.csv", { header: true, describeColumn }),
      ),
    ).toBe(
      'data/x.csv:17: column 3 is "abc", expected a finite real (view x : real[4])',
    );
  });

  it.each([
    ["nan", '"nan"'],
    ["inf", '"inf"'],
    ["", '""'],
    ["0x10", '"0x10"'],
    ["1 2", '"1 2"'],
  ])("rejects %j", (cell, shown) => {
    expect(
      dataErrorMessage(() =>
        parseCsv(`1,2\n3,${cell}\n`, "x.csv", { header: false }),
      ),
    ).toBe(`x.csv:2: column 2 is ${shown}, expected a finite real`);
  });

  it("rejects a number outside float32 range", () => {
    expect(
      dataErrorMessage(() => parseCsv("1e39\n", "x.csv", { header: false })),
    ).toMatch(
      /^x\.csv:1: column 1 is "1e39", expected a finite real \(in float32 range\)/,
    );
  });

  it("suggests `header: true` when the first line is not numbers", () => {
    expect(
      dataErrorMessage(() =>
        parseCsv("a,b\n1,2\n", "x.csv", { header: false }),
      ),
    ).toBe(
      'x.csv:1: column 1 is "a", expected a finite real; if this line is a header, write `header: true`',
    );
  });
});
