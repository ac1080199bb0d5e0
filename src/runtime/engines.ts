// Opens the engine a command runs on. Today the tfjs engine on the chosen backend (wasm by
// default); the run layer only ever sees the Engine interface.
import type { Engine } from "../engines/engine.js";
import { TfjsEngine } from "../engines/tfjs/engine.js";
import { initBackend, type BackendName } from "./backend.js";

/** The engine, and the backend actually running (what run.json records). */
export async function openEngine(
  backend: BackendName = "wasm",
): Promise<{ engine: Engine; backend: string }> {
  const running = await initBackend(backend);
  return { engine: new TfjsEngine(), backend: running };
}
