// The run-directory lock: one holder at a time, across real processes (a helper process and two
// real `vae train` runs); a second taker is refused with an IoError naming the holder; stale locks
// (dead pid, same host) are taken over; other hosts' and unreadable locks are left alone; release
// never removes another holder's lock; leftover temp files of dead writers are cleaned up.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IoError } from "../../../src/runtime/io/files.js";
import type { LockHolder } from "../../../src/runtime/run/lock.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { trainRun } from "../../../src/runtime/run/runs.js";
import { writeFixture } from "./fixture.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = (...args: string[]): string[] => ["--import", "tsx", ...args];
const helper = "test/runtime/run/hold-lock.ts";
const tmpRun = (): RunDir =>
  new RunDir(mkdtempSync(join(tmpdir(), "vae-lock-")));
/** Pids above Linux's largest pid_max (2^22) never belong to a live process. */
const deadPid = fc.integer({ min: 2 ** 22 + 1, max: 2 ** 31 - 1 });

const holder = (h: Partial<LockHolder>): string =>
  JSON.stringify({
    pid: process.pid,
    hostname: hostname(),
    command: "vae train",
    started: "2024-01-01T00:00:00.000Z",
    token: "t",
    ...h,
  });

const refusal = (run: RunDir, pid: number, started: string): string =>
  `${run.path} is in use by vae train (pid ${pid}, started ${started}); wait for it to finish, or remove ${run.lockPath} if that process is gone`;

/** Starts the helper on `run` and resolves once it holds the lock. */
function holdInChild(run: RunDir): Promise<ChildProcess> {
  const child = spawn(process.execPath, tsx(helper, run.path), {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((done, fail) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("locked")) done(child);
    });
    child.on("exit", (code) => fail(new Error(`helper exited ${code}`)));
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((done) => child.on("exit", () => done()));

describe("the run-directory lock", () => {
  it("refuses a second holder with a message naming the first, and is free again after release", () => {
    const run = tmpRun();
    const lock = run.lock("vae train");
    const err = (() => {
      try {
        run.lock("vae train");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(
      refusal(run, process.pid, lock.holder.started),
    );
    lock.release();
    lock.release();
    expect(existsSync(run.lockPath)).toBe(false);
    run.lock("vae train").release();
  });

  it("takes over a stale lock (dead pid, this host) whatever else it says", () => {
    fc.assert(
      fc.property(
        deadPid,
        fc.string(),
        fc.string(),
        (pid, command, started) => {
          const run = tmpRun();
          writeFileSync(run.lockPath, holder({ pid, command, started }));
          const lock = run.lock("vae train");
          const now = JSON.parse(
            readFileSync(run.lockPath, "utf8"),
          ) as LockHolder;
          expect(now.pid).toBe(process.pid);
          expect(now.token).toBe(lock.holder.token);
          lock.release();
          expect(readdirSync(run.path)).toEqual([]);
        },
      ),
      { seed: 1, numRuns: 50 },
    );
  });

  it("leaves locks of other hosts and unreadable locks alone, saying why", () => {
    const other = fc
      .tuple(fc.domain(), fc.oneof(deadPid, fc.constant(process.pid)))
      .filter(([host]) => host !== hostname())
      .map(([host, pid]) => ({ text: holder({ pid, hostname: host }), host }));
    const garbage = fc
      .oneof(
        fc.string(),
        fc.json(),
        fc.constant(holder({ pid: 0 })),
        fc.constant(holder({ pid: -5 })),
        fc.constant(holder({ token: 3 as unknown as string })),
      )
      .map((text) => ({ text, host: undefined }));
    fc.assert(
      fc.property(fc.oneof(other, garbage), ({ text, host }) => {
        const run = tmpRun();
        writeFileSync(run.lockPath, text);
        let err: unknown;
        try {
          run.lock("vae train").release();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(IoError);
        expect((err as Error).message).toContain(
          host === undefined
            ? `${run.path} is locked by ${run.lockPath}, which does not say who holds it`
            : ` on host ${host}, `,
        );
        expect(readFileSync(run.lockPath, "utf8")).toBe(text);
      }),
      { seed: 2, numRuns: 100 },
    );
  });

  it("release leaves a lock that another holder put in its place", () => {
    const run = tmpRun();
    const lock = run.lock("vae train");
    const theirs = holder({ token: "theirs" });
    writeFileSync(run.lockPath, theirs);
    lock.release();
    expect(readFileSync(run.lockPath, "utf8")).toBe(theirs);
  });

  it("holds across processes: a second process is refused (exit 2) until the first lets go, a killed holder's lock is stale, and exit releases it", async () => {
    const run = tmpRun();
    const first = await holdInChild(run);
    const second = spawnSync(process.execPath, tsx(helper, run.path), {
      cwd: root,
      encoding: "utf8",
    });
    expect(second.status).toBe(2);
    const h = JSON.parse(readFileSync(run.lockPath, "utf8")) as LockHolder;
    expect(h.pid).toBe(first.pid);
    expect(second.stderr).toBe(refusal(run, first.pid!, h.started) + "\n");
    first.stdin!.end();
    await exited(first);
    expect(existsSync(run.lockPath)).toBe(false);
    const killed = await holdInChild(run);
    killed.kill("SIGKILL");
    await exited(killed);
    expect(existsSync(run.lockPath)).toBe(true);
    const after = spawnSync(process.execPath, tsx(helper, run.path, "exit"), {
      cwd: root,
      encoding: "utf8",
    });
    expect([after.status, after.stdout]).toEqual([0, "locked\n"]);
    expect(existsSync(run.lockPath)).toBe(false);
  }, 180_000);

  it("makes trainRun refuse a run directory another holder has, leaving it untouched", async () => {
    const spec = writeFixture();
    const run = new RunDir(join(dirname(spec), "run"));
    run.create();
    const lock = run.lock("vae sweep");
    const err = await trainRun({
      file: spec,
      model: "m",
      out: run.path,
      backend: "cpu",
      log: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toContain(
      `${run.path} is in use by vae sweep (pid ${process.pid}`,
    );
    expect(readdirSync(run.path)).toEqual(["train.lock"]);
    lock.release();
  });
});

describe("leftover temp files", () => {
  it("removes exactly the temp files of writers that are gone", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/);
    const file = fc.oneof(
      fc.record({ kind: fc.constant("dead"), name, pid: deadPid }),
      fc.record({
        kind: fc.constant("live"),
        name,
        pid: fc.constant(process.ppid),
      }),
      fc.record({ kind: fc.constant("other"), name, pid: deadPid }),
    );
    fc.assert(
      fc.property(fc.array(file, { maxLength: 8 }), (files) => {
        const run = tmpRun();
        const named = files.map((f, i) => ({
          ...f,
          file:
            f.kind === "other"
              ? `${i}${f.name}.${f.pid}.tmp`
              : `.${i}${f.name}.${f.pid}.tmp`,
        }));
        for (const f of named) writeFileSync(join(run.path, f.file), "x");
        const removed = run.removeLeftoverTemps().sort();
        const dead = named.filter((f) => f.kind === "dead").map((f) => f.file);
        expect(removed).toEqual(dead.sort());
        expect(readdirSync(run.path).sort()).toEqual(
          named
            .filter((f) => f.kind !== "dead")
            .map((f) => f.file)
            .sort(),
        );
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it("two real `vae train` on one --out: the second exits 2 naming the first; after kill -9, --resume takes the stale lock and removes the dead writers' temp files", async () => {
    const spec = writeFixture();
    const run = new RunDir(join(dirname(spec), "run"));
    const cli = (...args: string[]): string[] =>
      tsx(
        "src/cli/main.ts",
        "train",
        spec,
        "--model",
        "m",
        "--out",
        run.path,
        "--backend",
        "cpu",
        ...args,
      );
    const first = spawn(process.execPath, cli("--epochs", "100000"), {
      cwd: root,
      stdio: "ignore",
    });
    const end = exited(first);
    for (let t = 0; !existsSync(run.metricsPath); t++) {
      expect(t, "the first training never finished an epoch").toBeLessThan(600);
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = spawnSync(process.execPath, cli("--epochs", "1"), {
      cwd: root,
      encoding: "utf8",
    });
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(
      `vae: ${run.path} is in use by vae train (pid ${first.pid}, started `,
    );
    first.kill("SIGKILL");
    await end;
    const planted = [
      ".checkpoint.bin.4194305.tmp",
      ".metrics.jsonl.4194306.tmp",
    ];
    for (const p of planted) writeFileSync(join(run.path, p), "torn");
    const done = run.load().checkpoint.epoch;
    const resumed = spawnSync(
      process.execPath,
      cli("--resume", "--epochs", String(done + 1)),
      { cwd: root, encoding: "utf8" },
    );
    expect(resumed.stderr).toContain(
      "temp file(s) left by an interrupted write",
    );
    expect(resumed.status).toBe(0);
    expect(readdirSync(run.path).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(existsSync(run.lockPath)).toBe(false);
    expect(run.load().checkpoint.epoch).toBe(done + 1);
  }, 300_000);
});
