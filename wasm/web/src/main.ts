// The advocacy page: parse a CSV in the browser, score it with advocacy-wasm, explain it.
// Nothing is sent anywhere: the only requests are the page's own files (and the bundled sample).
import Papa from "papaparse";
import wasmUrl from "advocacy-wasm/advocacy_wasm_bg.wasm?url";
import {
  init,
  Model,
  AdvocacyError,
  tiers,
  type AccountRecord,
  type BatchResult,
  type ModelSpec,
  type Score,
  type Tier,
} from "advocacy-wasm";
import "./style.css";

const TIER_LABEL: Record<Tier, string> = {
  platinum: "Platinum",
  gold: "Gold",
  silver: "Silver",
  not_yet_qualified: "Not yet qualified",
  not_advocate_material: "Not advocate material",
};
const OUTCOME_ICON: Record<string, string> = {
  met: "✓",
  partial: "◐",
  not_met: "✗",
  missing: "?",
  not_applicable: "–",
};
const MAX_ROWS = 500;

interface State {
  model: Model;
  spec: ModelSpec;
  records: AccountRecord[];
  names: string[];
  result: BatchResult | null;
  order: number[];
  selected: number | null;
  source: string;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
};

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function badge(t: Tier | null): string {
  if (t === null) return `<span class="badge flagged">error</span>`;
  return `<span class="badge t-${t}">${TIER_LABEL[t]}</span>`;
}

let state: State;

// ---- data -------------------------------------------------------------------------------------

function loadCsv(text: string, source: string): void {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
  const rows = parsed.data;
  if (rows.length < 1) {
    showError(`${source}: the file is empty`);
    return;
  }
  const header = rows[0];
  const body = rows.slice(1);
  const nameCol = header.findIndex((h) => h.trim() === "name");
  const idCol = header.findIndex((h) => h.trim() === "id");
  state.records = state.model.recordsFromCells(header, body, "id");
  state.names = body.map((r, i) => (nameCol >= 0 && r[nameCol]?.trim()) || (idCol >= 0 && r[idCol]?.trim()) || `row ${i + 1}`);
  state.source = source;
  state.selected = null;
  $("source").textContent = `${source} · ${body.length} accounts`;
  renderModelForm();
  rescore();
}

async function loadSample(): Promise<void> {
  const res = await fetch("./samples/accounts.csv");
  loadCsv(await res.text(), "sample accounts.csv");
}

function loadFile(file: File): void {
  void file.text().then((t) => loadCsv(t, file.name));
}

// ---- scoring ----------------------------------------------------------------------------------

function rescore(): void {
  if (state.records.length === 0) {
    renderSummary();
    return;
  }
  try {
    state.result = state.model.scoreBatch(state.records, { onError: "flag" });
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  state.order = Array.from(state.result.ranking());
  if (state.selected === null) state.selected = state.order[0] ?? null;
  renderSummary();
  renderRows();
  renderExplanation();
}

function setModel(spec: ModelSpec): void {
  // `change` follows `input` on blur: nothing to do when the model is the same.
  if (JSON.stringify(spec) === JSON.stringify(state.spec)) {
    $("model-error").hidden = true;
    return;
  }
  try {
    const next = Model.fromObject(spec);
    state.model.free();
    state.model = next;
    state.spec = next.toObject();
    $("model-error").hidden = true;
    rescore();
  } catch (e) {
    // The previous model stays in force; say what is wrong with the edit.
    const msg = e instanceof AdvocacyError ? `${e.message}` : String(e);
    showModelError(msg);
  }
}

// ---- rendering --------------------------------------------------------------------------------

function showError(msg: string): void {
  $("source").innerHTML = `<span class="error">${esc(msg)}</span>`;
}

function showModelError(msg: string): void {
  const el = $("model-error");
  el.textContent = msg;
  el.hidden = false;
}

function categoryColors(): string {
  return state.spec.categories
    .map((c, k) => `<i class="c${k % 6}"></i>${esc(c.label || c.id)}`)
    .join(" ");
}

function renderSummary(): void {
  const r = state.result;
  const chart = $("chart");
  document.querySelector(".legend")!.innerHTML = categoryColors();
  if (!r) {
    chart.innerHTML = tiers.map((t) => `<div class="bar-row" data-tier="${t}" data-count="0"><span class="bar-label">${badge(t)}</span><span class="bar"><span class="fill t-${t}" style="width:0"></span></span><span class="bar-num">0</span></div>`).join("");
    return;
  }
  const counts = r.tierCounts();
  const n = r.length;
  const maxCount = Math.max(1, ...tiers.map((t) => counts[t]));
  chart.innerHTML = tiers
    .map((t) => {
      const c = counts[t];
      const pct = n ? Math.round((100 * c) / n) : 0;
      return `<div class="bar-row" data-tier="${t}" data-count="${c}">
        <span class="bar-label">${badge(t)}</span>
        <span class="bar"><span class="fill t-${t}" style="width:${(100 * c) / maxCount}%"></span></span>
        <span class="bar-num"><b>${c}</b> <span class="muted">${pct}%</span></span>
      </div>`;
    })
    .join("");
  const flagged = r.errors.length;
  $("count").textContent = `${n} accounts${flagged ? ` · ${flagged} with bad values` : ""}`;
  const warn = r.warnings.map((w) => `<div class="warning">⚠ ${esc(w.message)}</div>`);
  const errs = r.errors.slice(0, 3).map((e) => `<div class="warning bad">✗ ${esc(e.message)}</div>`);
  $("warnings").innerHTML = [...warn, ...errs].join("");
}

function catBars(row: number, wide = false): string {
  const r = state.result!;
  const max = state.model.maxPoints || 1;
  return `<span class="cats${wide ? " wide" : ""}">${r.categoryIds
    .map((id, k) => {
      const p = r.categories[id]?.[row] ?? 0;
      return Number.isNaN(p) ? "" : `<span class="seg c${k % 6}" style="width:${(100 * p) / max}%" title="${esc(id)}: ${fmt(p)}"></span>`;
    })
    .join("")}</span>`;
}

function renderRows(): void {
  const r = state.result!;
  $("empty").hidden = true;
  $("table").hidden = false;
  const max = state.model.maxPoints || 1;
  const shown = state.order.slice(0, MAX_ROWS);
  $("rows").innerHTML = shown
    .map((row, k) => {
      const total = r.total[row];
      const id = state.records[row]?.id ?? "";
      const sel = row === state.selected ? " selected" : "";
      const scoreCell = Number.isNaN(total)
        ? `<span class="muted">—</span>`
        : `<span class="score"><b>${fmt(total)}</b><span class="mini"><span style="width:${(100 * total) / max}%"></span></span></span>`;
      return `<tr class="row${sel}" data-row="${row}" data-id="${esc(id)}" data-tier="${r.tier[row] ?? "error"}" data-total="${total}">
        <td class="rank">${k + 1}</td>
        <td><div class="name">${esc(state.names[row])}</div><div class="muted small">${esc(id)}</div></td>
        <td>${scoreCell}</td>
        <td>${badge(r.tier[row] ?? null)}</td>
        <td>${catBars(row)}</td>
        <td class="muted">${Number.isNaN(r.completeness[row]) ? "—" : `${Math.round(100 * r.completeness[row])}%`}</td>
      </tr>`;
    })
    .join("");
  if (state.order.length > MAX_ROWS) {
    $("rows").insertAdjacentHTML("beforeend", `<tr><td colspan="6" class="muted">… and ${state.order.length - MAX_ROWS} more</td></tr>`);
  }
}

function renderExplanation(): void {
  const el = $("explain");
  const row = state.selected;
  if (row === null || !state.records[row]) {
    el.className = "empty";
    el.innerHTML = "Select an account to see why it scored as it did.";
    return;
  }
  el.className = "";
  let s: Score;
  try {
    s = state.model.score(state.records[row]);
  } catch (e) {
    el.innerHTML = `<h2>${esc(state.names[row])}</h2><p class="error">${esc(e instanceof Error ? e.message : e)}</p>`;
    return;
  }
  const labels = new Map(s.criteria.map((c) => [c.id, c.label || c.id]));
  const cats = s.categories
    .map(
      (c, k) => `<div class="catline"><span>${esc(c.label || c.id)}</span>
        <span class="bar"><span class="fill c${k % 6}" style="width:${c.max ? (100 * c.points) / c.max : 0}%"></span></span>
        <span class="num">${fmt(c.points)}/${fmt(c.max)}</span></div>`,
    )
    .join("");
  const crit = s.criteria
    .map(
      (c) => `<li class="o-${c.outcome}" data-criterion="${esc(c.id)}"><span class="icon">${OUTCOME_ICON[c.outcome] ?? ""}</span>
        <span class="clabel">${esc(c.label || c.id)}<span class="muted small"> ${esc(c.signal)} ${esc(c.rule)}${c.value === null ? "" : ` · was ${esc(c.value)}`}</span></span>
        <span class="num">${fmt(c.points)}/${fmt(c.max)}</span></li>`,
    )
    .join("");
  const gap = s.next_tier
    ? `<div class="gap"><b>${fmt(s.next_tier.points_needed)} points</b> to ${badge(s.next_tier.tier)}
        ${s.next_tier.criteria.length ? `<div class="small">${s.next_tier.reachable ? "Close" : "Even all of these would not be enough"}: ${s.next_tier.criteria.map((c) => `<span class="chip">${esc(labels.get(c) ?? c)}</span>`).join(" ")}</div>` : ""}</div>`
    : `<div class="gap muted">${s.gate ? "Gated: no next tier." : "Top tier reached."}</div>`;
  const o = s.outreach;
  el.innerHTML = `
    <div class="ex-head">
      <div><h2>${esc(state.names[row])}</h2><div class="muted small">${esc(s.id ?? "")}</div></div>
      <div class="big"><b>${fmt(s.total)}</b><span class="muted">/${fmt(s.max)}</span></div>
    </div>
    <div class="ex-tier">${badge(s.tier)}
      ${s.gate ? `<span class="gate">⛔ ${esc(s.gate.reason || s.gate.id)}</span>` : ""}
      <span class="muted small">${s.missing.length ? `could reach ${fmt(s.bounds.min)}–${fmt(s.bounds.max)} once missing signals are known` : "every signal the model reads is known"}</span></div>
    <h3>Categories</h3>${cats}
    <h3>Criteria</h3><ul class="criteria">${crit}</ul>
    <h3>Missing signals</h3>
    <div>${s.missing.length ? s.missing.map((m) => `<span class="chip missing">${esc(m)}</span>`).join(" ") : `<span class="muted">none</span>`}</div>
    <h3>Next tier</h3>${gap}
    <h3>Outreach</h3>
    <dl class="outreach">
      <dt>Who</dt><dd>${esc(o.who)}</dd>
      <dt>Invited by</dt><dd>${esc(o.invited_by)}</dd>
      <dt>Benefits</dt><dd>${esc(o.benefits)}</dd>
      <dt>Asks</dt><dd>${o.asks.length ? o.asks.map((a) => `<span class="chip ask">${esc(a)}</span>`).join(" ") : `<span class="muted">no ask now</span>`}
        ${o.max_effort ? `<span class="muted small">up to ${esc(o.max_effort)} effort</span>` : ""}</dd>
    </dl>`;
}

function renderModelForm(): void {
  const spec = state.spec;
  $("model-name").textContent = `${spec.name ?? ""} · ${fmt(state.model.maxPoints)} points`;
  const t = spec.targets;
  const th = spec.tiers ?? { platinum: 80, gold: 60, silver: 40 };
  const seg = new Set(t?.segments ?? []);
  const cats = spec.categories
    .map(
      (c, ci) => `<fieldset><legend><i class="c${ci % 6}"></i>${esc(c.label || c.id)}</legend>
      ${c.criteria
        .map(
          (k, ki) => `<label class="pts"><span>${esc(k.label || k.id)}</span>
            <input type="number" min="0" step="1" value="${k.points}" data-cat="${ci}" data-crit="${ki}" data-criterion="${esc(k.id)}" aria-label="points for ${esc(k.id)}" /></label>`,
        )
        .join("")}</fieldset>`,
    )
    .join("");
  $("model-form").innerHTML = `
    ${cats}
    <fieldset><legend>Tier thresholds</legend>
      ${(["platinum", "gold", "silver"] as const)
        .map((k) => `<label class="pts"><span>${badge(k)}</span><input type="number" min="0" step="1" value="${th[k]}" data-threshold="${k}" aria-label="${k} threshold" /></label>`)
        .join("")}
    </fieldset>
    <fieldset><legend>Targets</legend>
      <label class="stack">Industries <input type="text" data-target="industries" value="${esc((t?.industries ?? []).join(", "))}" placeholder="e.g. software, retail" list="industries" /></label>
      <datalist id="industries">${[...new Set(state.records.map((r) => r.industry).filter((x): x is string => typeof x === "string"))].sort().map((x) => `<option value="${esc(x)}">`).join("")}</datalist>
      <div class="segs">${["smb", "mid_market", "enterprise"].map((s) => `<label><input type="checkbox" data-segment="${s}" ${seg.has(s) ? "checked" : ""}/> ${s.replace("_", "-")}</label>`).join("")}</div>
      <label class="stack">Regions <input type="text" data-target="regions" value="${esc((t?.regions ?? []).join(", "))}" placeholder="e.g. emea" /></label>
    </fieldset>
    <fieldset><legend>Missing signals</legend>
      <select data-missing aria-label="missing policy">
        <option value="zero" ${spec.missing !== "rescale" ? "selected" : ""}>count as 0 points</option>
        <option value="rescale" ${spec.missing === "rescale" ? "selected" : ""}>rescale over known signals</option>
      </select>
    </fieldset>`;
}

function readModelForm(): ModelSpec {
  const spec: ModelSpec = structuredClone(state.spec);
  const form = $("model-form");
  form.querySelectorAll<HTMLInputElement>("input[data-crit]").forEach((inp) => {
    const c = spec.categories[Number(inp.dataset.cat)]?.criteria[Number(inp.dataset.crit)];
    if (c) c.points = inp.value.trim() === "" ? NaN : Number(inp.value);
  });
  const tiersSpec = { ...(spec.tiers ?? { platinum: 80, gold: 60, silver: 40 }) };
  form.querySelectorAll<HTMLInputElement>("input[data-threshold]").forEach((inp) => {
    const k = inp.dataset.threshold as "platinum" | "gold" | "silver";
    tiersSpec[k] = Number(inp.value);
  });
  spec.tiers = tiersSpec;
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const ind = form.querySelector<HTMLInputElement>('input[data-target="industries"]');
  const reg = form.querySelector<HTMLInputElement>('input[data-target="regions"]');
  const segments = [...form.querySelectorAll<HTMLInputElement>("input[data-segment]")].filter((i) => i.checked).map((i) => i.dataset.segment ?? "");
  spec.targets = { industries: list(ind?.value ?? ""), segments, regions: list(reg?.value ?? "") };
  const missing = form.querySelector<HTMLSelectElement>("select[data-missing]");
  spec.missing = missing?.value === "rescale" ? "rescale" : "zero";
  return spec;
}

// ---- wiring -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  await init(wasmUrl);
  const model = Model.default();
  state = { model, spec: model.toObject(), records: [], names: [], result: null, order: [], selected: null, source: "" };
  renderModelForm();
  renderSummary();

  $("sample").addEventListener("click", () => void loadSample());
  $<HTMLInputElement>("file").addEventListener("change", (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) loadFile(f);
  });
  $("rows").addEventListener("click", (e) => {
    const tr = (e.target as HTMLElement).closest<HTMLElement>("tr[data-row]");
    if (!tr) return;
    state.selected = Number(tr.dataset.row);
    document.querySelectorAll("tr.selected").forEach((x) => x.classList.remove("selected"));
    tr.classList.add("selected");
    renderExplanation();
  });
  const form = $("model-form");
  form.addEventListener("input", () => setModel(readModelForm()));
  form.addEventListener("change", () => setModel(readModelForm()));
  $("reset").addEventListener("click", () => {
    setModel(JSON.parse(Model.default().toJson()) as ModelSpec);
    renderModelForm();
  });

  const drop = $("drop");
  window.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.hidden = false;
  });
  window.addEventListener("dragleave", (e) => {
    if (e.relatedTarget === null) drop.hidden = true;
  });
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.hidden = true;
    const f = e.dataTransfer?.files[0];
    if (f) loadFile(f);
  });
  document.body.dataset.ready = "true";
}

void main();
