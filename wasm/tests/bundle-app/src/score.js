// Only the scoring API: the bundle must not contain the program module.
import { init, Model } from "advocacy-wasm";

const out = document.getElementById("out");
try {
  await init();
  const s = Model.default().score({ id: "acme", nps: 9, health_score: 91.5, roi_achieved: true });
  out.textContent = JSON.stringify({ total: s.total, tier: s.tier });
} catch (e) {
  out.textContent = `error: ${e}`;
}
