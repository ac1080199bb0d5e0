// Only regular files are data: FIFOs, devices, sockets and directories (directly or through
// symbolic links) are refused by every loader before anything is opened or read.
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync, symlinkSync, type Stats } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IrSource } from "../../../src/ir/types.js";
import { loadViews } from "../../../src/runtime/data/dataset.js";
import { readCsv } from "../../../src/runtime/data/csv.js";
import { readIdx, readIdxLabels } from "../../../src/runtime/data/idx.js";
import { readNpy } from "../../../src/runtime/data/npy.js";
import {
  describeFileKind,
  formatBytes,
  openDataFile,
} from "../../../src/runtime/data/open.js";
import {
  bind,
  csv,
  dataErrorMessage,
  idx,
  idxBytes,
  npy,
  tempDir,
  train,
  view,
} from "./fixtures/write.js";

/** Each kind of non-regular file, made in `dir`, with what the message must call it. */
const { dir, write } = tempDir();
const kinds: { name: string; path: string; kind: string }[] = [];
let server: Server;

beforeAll(async () => {
  write("img.idx", idxBytes("uint8", [2, 2], [0, 1, 2, 3]));
  write("x.csv", "1,2,3,4\n5,6,7,8\n");
  const fifo = join(dir, "pipe");
  execFileSync("mkfifo", [fifo]);
  const folder = join(dir, "folder.csv");
  mkdirSync(folder);
  const socket = join(dir, "sock");
  server = createServer();
  await new Promise<void>((done) => server.listen(socket, done));
  const targets = [
    { name: "a FIFO", path: fifo, kind: "a FIFO (named pipe)" },
    { name: "a directory", path: folder, kind: "a directory" },
    { name: "a socket", path: socket, kind: "a socket" },
    ...["/dev/zero", "/dev/urandom", "/dev/null", "/dev/full"].map((d) => ({
      name: d,
      path: d,
      kind: "a character device",
    })),
  ];
  kinds.push(...targets);
  // the same through a symbolic link, and through a link to a link
  for (const [i, t] of targets.entries()) {
    const link = join(dir, `link${i}`);
    symlinkSync(t.path, link);
    symlinkSync(link, join(dir, `linklink${i}`));
    kinds.push({ ...t, name: `a link to ${t.name}`, path: link });
    kinds.push({
      ...t,
      name: `a link to a link to ${t.name}`,
      path: join(dir, `linklink${i}`),
    });
  }
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

const readers: { format: string; read: (path: string) => unknown }[] = [
  { format: "csv", read: (p) => readCsv(p, "x", { header: false }) },
  { format: "npy", read: (p) => readNpy(p, "x") },
  { format: "idx", read: (p) => readIdx(p, "x") },
  { format: "idx labels", read: (p) => readIdxLabels(p, "x") },
];

describe("non-regular files", () => {
  it("are refused by every reader, naming the file and what it is", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: kinds.length - 1 }),
        fc.constantFrom(...readers),
        (k, reader) => {
          const { path, kind } = kinds[k]!;
          expect(dataErrorMessage(() => reader.read(path))).toBe(
            `x: is ${kind}, expected a regular file (data are read from files, not from pipes, devices, sockets or directories) at ${path}`,
          );
        },
      ),
      { seed: 7, numRuns: 120 },
    );
  });

  it("are refused through loadViews as a data source, a labels file or a paired file", () => {
    const sources = (path: string): IrSource[] => [
      csv(path),
      npy(path),
      idx(path),
      idx("img.idx", "none", path),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: kinds.length - 1 }),
        fc.integer({ min: 0, max: 4 }),
        (k, s) => {
          const { path, kind } = kinds[k]!;
          const t =
            s < 4
              ? train(sources(path)[s]!, [bind("x", s < 2 ? "row" : "image")])
              : train(csv("x.csv"), [
                  bind("x", "row"),
                  bind("y", "row", { kind: "all" }, csv(path)),
                ]);
          const views =
            s < 4
              ? [view("x", "real", 4)]
              : [view("x", "real", 4), view("y", "real", 1)];
          expect(
            dataErrorMessage(() =>
              loadViews(t, views, "data", dir, {
                seed: 0,
              }),
            ),
          ).toBe(
            `${path}: is ${kind}, expected a regular file (data are read from files, not from pipes, devices, sockets or directories)`,
          );
        },
      ),
      { seed: 11, numRuns: 80 },
    );
  });

  it("leave regular files and links to them readable", () => {
    const name = write("ok.csv", "1,2\n");
    symlinkSync(join(dir, name), join(dir, "ok-link.csv"));
    for (const p of [join(dir, name), join(dir, "ok-link.csv")]) {
      const f = openDataFile(p, "ok.csv");
      expect(f.size).toBe(4);
      expect([...readCsv(p, "ok.csv", { header: false }).values]).toEqual([
        1, 2,
      ]);
    }
  });

  it("name a missing file and a dangling link as missing", () => {
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    for (const p of [join(dir, "absent.npy"), join(dir, "dangling")])
      expect(dataErrorMessage(() => readNpy(p, "d.npy"))).toBe(
        `d.npy: cannot read (no such file) at ${p}`,
      );
  });
});

describe("describeFileKind", () => {
  const fake = (which: string): Stats =>
    Object.fromEntries(
      [
        "isFile",
        "isDirectory",
        "isFIFO",
        "isCharacterDevice",
        "isBlockDevice",
        "isSocket",
        "isSymbolicLink",
      ].map((m) => [m, () => m === which]),
    ) as unknown as Stats;

  it.each([
    ["isFile", undefined],
    ["isDirectory", "a directory"],
    ["isFIFO", "a FIFO (named pipe)"],
    ["isCharacterDevice", "a character device"],
    ["isBlockDevice", "a block device"],
    ["isSocket", "a socket"],
    ["isSymbolicLink", "not a regular file"],
  ])("%s → %s", (which, words) => {
    expect(describeFileKind(fake(which))).toBe(words);
  });

  it("agrees with the file system on real files", () => {
    expect(describeFileKind(statSync("/dev/null"))).toBe("a character device");
    expect(describeFileKind(statSync(dir))).toBe("a directory");
    expect(describeFileKind(statSync(join(dir, "img.idx")))).toBeUndefined();
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1023, "1023 bytes"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [2 ** 31, "2 GiB"],
    [600 * 2 ** 20, "600 MiB"],
  ])("%i → %s", (n, words) => {
    expect(formatBytes(n)).toBe(words);
  });
});
