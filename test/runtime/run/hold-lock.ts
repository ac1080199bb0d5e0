// A helper process for the lock tests (not a test): takes the lock of the run directory argv[2]
// as `vae train` does, prints "locked", and holds it until its stdin closes (or it is killed).
// With argv[3] = "exit" it exits at once without releasing: the 'exit' hook must remove the lock.
import { IoError } from "../../../src/runtime/io/files.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";

try {
  const lock = new RunDir(process.argv[2]!).lock("vae train");
  process.stdout.write("locked\n");
  if (process.argv[3] === "exit") process.exit(0);
  process.stdin.resume();
  process.stdin.on("end", () => {
    lock.release();
    process.exit(0);
  });
} catch (err) {
  if (!(err instanceof IoError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
