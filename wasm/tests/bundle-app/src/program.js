// The program entry point, loaded on its own.
import { init, fatigue } from "advocacy-wasm/program";

const out = document.getElementById("out");
try {
  await init();
  const r = fatigue({
    account: "acme",
    as_of: "2026-04-01",
    ledger: [{ account: "acme", activity: "conference_speaking", status: "completed", date: "2026-03-10" }],
  });
  out.textContent = JSON.stringify({ resting: r.resting, until: r.resting_until });
} catch (e) {
  out.textContent = `error: ${e}`;
}
