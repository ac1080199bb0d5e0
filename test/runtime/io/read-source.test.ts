// readSource and readRegularFile: spec and run files are read only when they are regular files,
// so `vae check` on a FIFO or a device is refused at once instead of blocking or never ending.
import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  IoError,
  readRegularFile,
  readSource,
} from "../../../src/runtime/io/files.js";

const dir = mkdtempSync(join(tmpdir(), "vaec-read-"));

describe("readSource", () => {
  it("reads a regular file, or a link to one, without its byte-order mark", () => {
    const file = join(dir, "spec.vae");
    writeFileSync(file, "\uFEFFmodel m {}\n");
    symlinkSync(file, join(dir, "link.vae"));
    expect(readSource(file)).toBe("model m {}\n");
    expect(readSource(join(dir, "link.vae"))).toBe("model m {}\n");
  });

  it.each([
    [
      "a FIFO",
      () => {
        const fifo = join(dir, "pipe.vae");
        execFileSync("mkfifo", [fifo]);
        return fifo;
      },
      "not a regular file",
    ],
    ["a character device", () => "/dev/zero", "not a regular file"],
    [
      "a link to a device",
      () => {
        const link = join(dir, "zero.vae");
        symlinkSync("/dev/zero", link);
        return link;
      },
      "not a regular file",
    ],
    ["a directory", () => dir, "is a directory"],
    ["a missing file", () => join(dir, "missing.vae"), "no such file"],
  ])("refuses %s with an IoError naming it", (_, make, why) => {
    const path = make();
    expect(() => readSource(path)).toThrow(IoError);
    expect(() => readRegularFile(path)).toThrow(`cannot read ${path}: ${why}`);
  });
});
