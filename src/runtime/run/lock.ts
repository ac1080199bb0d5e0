// An exclusive lock on a run directory: a lock file created atomically (written aside, then
// hard-linked into place, which fails if it exists) holding who took it — pid, host, command,
// start time and a random token. A lock whose process is gone (same host, pid not alive) is
// stale and taken over; any other refuses with an IoError naming the holder. Released on
// `release()` and, as a last resort, when the process exits.
import { randomUUID } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { IoError, tempPathOf } from "../io/files.js";

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  started: string;
  token: string;
}

const codeOf = (err: unknown): string | undefined =>
  (err as NodeJS.ErrnoException).code;

/** Whether process `pid` exists on this host (EPERM: it does, run by another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === "EPERM";
  }
}

function parseHolder(text: string): LockHolder | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const h = doc as Partial<LockHolder> | null;
  const ok =
    h !== null &&
    typeof h === "object" &&
    Number.isInteger(h.pid) &&
    h.pid! > 0 &&
    ["hostname", "command", "started", "token"].every(
      (k) => typeof (h as Record<string, unknown>)[k] === "string",
    );
  return ok ? (h as LockHolder) : undefined;
}

/** The lock's holder; "gone" when the file vanished meanwhile; "unreadable" when not a lock. */
function readHolder(path: string): LockHolder | "gone" | "unreadable" {
  try {
    return parseHolder(readFileSync(path, "utf8")) ?? "unreadable";
  } catch (err) {
    if (codeOf(err) === "ENOENT") return "gone";
    throw new IoError(
      `cannot read the lock ${path}: ${(err as Error).message}`,
    );
  }
}

/** Creates `path` holding `text` unless it exists; false if it does. */
function createExclusive(path: string, text: string): boolean {
  const aside = tempPathOf(path);
  try {
    writeFileSync(aside, text);
    linkSync(aside, path);
    return true;
  } catch (err) {
    if (codeOf(err) === "EEXIST") return false;
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes(codeOf(err)!))
      throw new IoError(
        `cannot create the lock ${path}: ${(err as Error).message}`,
      );
    return createWithoutLinks(path, text);
  } finally {
    rmSync(aside, { force: true });
  }
}

/** For file systems without hard links: O_EXCL create, then write (a reader may see it empty). */
function createWithoutLinks(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if (codeOf(err) === "EEXIST") return false;
    throw new IoError(
      `cannot create the lock ${path}: ${(err as Error).message}`,
    );
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the stale lock `seen`, but never a newer lock that replaced it meanwhile. */
function breakStale(path: string, seen: LockHolder): void {
  const aside = tempPathOf(`${path}.stale`);
  try {
    renameSync(path, aside);
  } catch (err) {
    if (codeOf(err) === "ENOENT") return; // another process broke it first
    throw new IoError(
      `cannot remove the stale lock ${path}: ${(err as Error).message}`,
    );
  }
  const moved = readHolder(aside);
  if (typeof moved !== "string" && moved.token !== seen.token) {
    // A live lock taken after `seen` was read: put it back unless yet another one exists.
    try {
      linkSync(aside, path);
    } catch {
      // A newer lock is in place; the one moved aside has lost the race.
    }
  }
  rmSync(aside, { force: true });
}

function heldMessage(dir: string, path: string, h: LockHolder): string {
  const host = h.hostname === hostname() ? "" : ` on host ${h.hostname}`;
  return `${dir} is in use by ${h.command} (pid ${h.pid}${host}, started ${h.started}); wait for it to finish, or remove ${path} if that process is gone`;
}

export class RunLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {
    process.on("exit", this.onExit);
  }

  /** Takes the lock file `path` guarding directory `dir` for `command` ("vae train"). */
  static acquire(path: string, dir: string, command: string): RunLock {
    const holder: LockHolder = {
      pid: process.pid,
      hostname: hostname(),
      command,
      started: new Date().toISOString(),
      token: randomUUID(),
    };
    const text = JSON.stringify(holder, null, 2) + "\n";
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createExclusive(path, text)) return new RunLock(path, holder);
      const current = readHolder(path);
      if (current === "gone") continue;
      if (current === "unreadable")
        throw new IoError(
          `${dir} is locked by ${path}, which does not say who holds it; remove it if no vae train is running on ${dir}`,
        );
      if (current.hostname === hostname() && !processAlive(current.pid)) {
        breakStale(path, current);
        continue;
      }
      throw new IoError(heldMessage(dir, path, current));
    }
    throw new IoError(`cannot take the lock ${path}: it keeps changing hands`);
  }

  /** Removes the lock file if it is still this lock's; safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener("exit", this.onExit);
    try {
      const current = readHolder(this.path);
      if (typeof current !== "string" && current.token === this.holder.token)
        rmSync(this.path, { force: true });
    } catch {
      // Unreadable now: leave it; once this process is gone the next run finds it stale.
    }
  }
}
