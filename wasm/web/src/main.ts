// The advocacy page: parse a CSV in the browser, score it with advocacy-wasm, explain it.
// Nothing is sent anywhere: the only requests are the page's own files (and the bundled sample).
import Papa from "papaparse";
import wasmUrl from "advocacy-wasm/advocacy_wasm_bg.wasm?url";
import programWasmUrl from "advocacy-wasm/advocacy_program_bg.wasm?url";
import {
  init,
  Model,
  AdvocacyError,
  tiers,
  type AccountRecord,
  type BatchResult,
  type ColumnMapping,
  type ColumnPlan,
  type ModelSpec,
  type Score,
  type Tier,
} from "advocacy-wasm";
import type { HistoryReport } from "advocacy-wasm/program";
import { locate, readHistoryFiles, tierMixSvg, timelineSvg, type HistoryFile, type HistoryProblem, type HistoryRows } from "./history";
import "./style.css";

// The tier names shown; the language selector replaces them with the catalogue's.
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

/** A CSV as parsed: its header and the rows that have one cell per header. */
interface Table {
  header: string[];
  rows: string[][];
  /** The CSV line of each row. */
  lines: number[];
  /** Rows that could not be read at all (wrong number of cells), with why. */
  broken: { line: number; reason: string }[];
  source: string;
}

interface State {
  model: Model;
  spec: ModelSpec;
  table: Table | null;
  /** How the columns are read, on top of the automatic matching (the core's ColumnMapping). */
  mapping: ColumnMapping;
  records: AccountRecord[];
  names: string[];
  result: BatchResult | null;
  order: number[];
  selected: number | null;
  source: string;
}

const STORE = "advocacy.columns:";

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
  const all = parsed.data;
  if (all.length < 1) {
    showError(`${source}: the file is empty`);
    return;
  }
  const header = all[0];
  const rows: string[][] = [];
  const lines: number[] = [];
  const broken: Table["broken"] = [];
  all.slice(1).forEach((r, i) => {
    // Line numbers as the CLI gives them (header = line 1; quoted line breaks aside).
    const line = i + 2;
    if (r.length !== header.length) {
      broken.push({ line, reason: `the row has ${r.length} cells; allowed: exactly ${header.length}, one per header` });
    } else {
      rows.push(r);
      lines.push(line);
    }
  });
  state.table = { header, rows, lines, broken, source };
  state.mapping = storedMapping(header);
  state.selected = null;
  readTable();
}

/** The mapping saved for a file with exactly these headers, if any. */
function storedMapping(header: string[]): ColumnMapping {
  try {
    const saved = localStorage.getItem(STORE + JSON.stringify(header));
    if (saved) return JSON.parse(saved) as ColumnMapping;
  } catch {
    /* no storage: nothing remembered */
  }
  return {};
}

function saveMapping(header: string[], mapping: ColumnMapping): void {
  try {
    localStorage.setItem(STORE + JSON.stringify(header), JSON.stringify(mapping));
  } catch {
    /* no storage: nothing remembered */
  }
}

/** Reads the table by the core's column plan (with the mapping) into records, then scores. A
 * table the core cannot read (no column it scores, two columns for one signal) is shown with
 * the core's error and not scored. */
function readTable(): void {
  const t = state.table;
  if (!t) return;
  $("columns").hidden = false;
  $("columns-source").textContent = `${t.source} · ${t.rows.length} rows`;
  let plan: ColumnPlan | null = null;
  let error: string | null = null;
  try {
    plan = state.model.readColumns(t.header, state.mapping);
    state.records = state.model.recordsFromCells(t.header, t.rows, { columns: state.mapping });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  renderColumns(plan ?? { columns: t.header.map((h) => ({ header: h, role: "ignored", signal: null, reason: "" })), warnings: [], options: { decimal_comma: false } });
  const err = $("table-error");
  if (error !== null || plan === null) {
    err.textContent = `Not scored: ${error ?? "the columns could not be read"}`;
    err.hidden = false;
    state.records = [];
    state.names = [];
    state.result = null;
    $("source").textContent = `${t.source} · not scored`;
    clearResults();
    renderProblems();
    return;
  }
  err.hidden = true;
  const nameCol = plan.columns.findIndex((c) => c.role === "name");
  const idCol = plan.columns.findIndex((c) => c.role === "id");
  state.names = t.rows.map((r, i) => (nameCol >= 0 && r[nameCol]?.trim()) || (idCol >= 0 && r[idCol]?.trim()) || `row ${i + 1}`);
  state.source = t.source;
  $("source").textContent = `${t.source} · ${t.rows.length} accounts`;
  renderModelForm();
  rescore();
}

/** The mapping table: each header with a select of what it is read as. */
function renderColumns(plan: ColumnPlan): void {
  const signals = state.model.knownSignals();
  const read = new Set(state.model.readSignals());
  $("columns-rows").innerHTML = plan.columns
    .map((c) => {
      const current = c.role === "signal" ? (c.signal ?? "ignore") : c.role === "ignored" ? "ignore" : c.role;
      const option = (value: string, label: string) =>
        `<option value="${esc(value)}"${value === current ? " selected" : ""}>${esc(label)}</option>`;
      const options = [
        option("ignore", "(not read)"),
        option("id", "account id"),
        option("name", "account name"),
        ...(c.role === "observed" ? [option("observed", "observation date")] : []),
        ...signals.map((s) => option(s, read.has(s) ? `${s} ★` : s)),
      ].join("");
      return `<tr class="${c.role === "ignored" ? "ignored" : ""}" data-header="${esc(c.header)}" data-role="${esc(current)}">
        <td>${esc(c.header)}</td>
        <td><select data-header="${esc(c.header)}" aria-label="read ${esc(c.header)} as">${options}</select></td>
        <td class="why">${esc(c.reason)}</td></tr>`;
    })
    .join("");
}

/** Rows that could not be scored: broken rows of the file and rows the core flagged. */
function renderProblems(): void {
  const t = state.table;
  const el = $("problems");
  if (!t) {
    el.hidden = true;
    return;
  }
  const items = [
    ...t.broken.map((b) => ({ line: b.line, text: b.reason })),
    ...(state.result?.errors ?? []).map((e) => ({ line: t.lines[e.row] ?? e.row + 2, text: e.message })),
  ].sort((a, b) => a.line - b.line);
  el.hidden = items.length === 0;
  el.innerHTML = items.length
    ? `<h3>${items.length} row${items.length === 1 ? "" : "s"} not scored</h3>` +
      items
        .slice(0, 50)
        .map((p) => `<div class="warning bad" data-line="${p.line}">line ${p.line}: ${esc(p.text)}</div>`)
        .join("") +
      (items.length > 50 ? `<div class="muted small">… and ${items.length - 50} more</div>` : "")
    : "";
}

function clearResults(): void {
  $("rows").innerHTML = "";
  $("table").hidden = true;
  $("empty").hidden = false;
  renderSummary();
  renderExplanation();
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
  renderProblems();
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
    renderTimeline();
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
    $("count").textContent = "";
    $("warnings").innerHTML = "";
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
  $("warnings").innerHTML = warn.join("");
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
  const th = spec.tiers;
  const seg = new Set(t?.segments ?? []);
  // The segments a target can name: the values of the model's `segment` signal.
  const segments = state.model.signals().find((x) => x.name === "segment")?.values ?? [];
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
    ${
      th
        ? `<fieldset><legend>Tier thresholds</legend>
      ${(Object.keys(th) as (keyof typeof th)[])
        .map((k) => `<label class="pts"><span>${badge(k)}</span><input type="number" min="0" step="1" value="${th[k]}" data-threshold="${k}" aria-label="${k} threshold" /></label>`)
        .join("")}
    </fieldset>`
        : ""
    }
    <fieldset><legend>Targets</legend>
      <label class="stack">Industries <input type="text" data-target="industries" value="${esc((t?.industries ?? []).join(", "))}" placeholder="e.g. software, retail" list="industries" /></label>
      <datalist id="industries">${[...new Set(state.records.map((r) => r.industry).filter((x): x is string => typeof x === "string"))].sort().map((x) => `<option value="${esc(x)}">`).join("")}</datalist>
      <div class="segs">${segments.map((s) => `<label><input type="checkbox" data-segment="${esc(s)}" ${seg.has(s) ? "checked" : ""}/> ${esc(s.replace(/_/g, "-"))}</label>`).join("")}</div>
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
  $("columns-rows").addEventListener("change", (e) => {
    const sel = e.target as HTMLSelectElement;
    const header = sel.dataset.header;
    const t = state.table;
    if (header === undefined || !t) return;
    state.mapping = { ...state.mapping, columns: { ...(state.mapping.columns ?? {}), [header]: sel.value } };
    saveMapping(t.header, state.mapping);
    state.selected = null;
    readTable();
  });
  const form = $("model-form");
  form.querySelectorAll<HTMLInputElement>("input[data-crit]").forEach((inp) => {
    const c = spec.categories[Number(inp.dataset.cat)]?.criteria[Number(inp.dataset.crit)];
    if (c) c.points = inp.value.trim() === "" ? NaN : Number(inp.value);
  });
  if (spec.tiers) {
    const tiersSpec = { ...spec.tiers };
    form.querySelectorAll<HTMLInputElement>("input[data-threshold]").forEach((inp) => {
      const k = inp.dataset.threshold as keyof typeof tiersSpec;
      tiersSpec[k] = Number(inp.value);
    });
    spec.tiers = tiersSpec;
  }
  const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const ind = form.querySelector<HTMLInputElement>('input[data-target="industries"]');
  const reg = form.querySelector<HTMLInputElement>('input[data-target="regions"]');
  const segments = [...form.querySelectorAll<HTMLInputElement>("input[data-segment]")].filter((i) => i.checked).map((i) => i.dataset.segment ?? "");
  spec.targets = { industries: list(ind?.value ?? ""), segments, regions: list(reg?.value ?? "") };
  const missing = form.querySelector<HTMLSelectElement>("select[data-missing]");
  spec.missing = missing?.value === "rescale" ? "rescale" : "zero";
  return spec;
}

// ---- history -----------------------------------------------------------------------------------

/** The loaded history: its rows (with where each came from) and the core's report. */
let loadedHistory: { read: HistoryRows; report: HistoryReport } | null = null;
let programModule: Promise<typeof import("advocacy-wasm/program")> | undefined;

/** The program functions (a second WebAssembly module), loaded on the first history. */
function program(): Promise<typeof import("advocacy-wasm/program")> {
  programModule ??= import("advocacy-wasm/program").then(async (m) => {
    await m.init(programWasmUrl);
    return m;
  });
  return programModule;
}

function showHistoryProblems(problems: HistoryProblem[]): void {
  const el = $("history-errors");
  loadedHistory = null;
  $("history-charts").hidden = true;
  el.hidden = false;
  el.innerHTML =
    `<h3>Not charted: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the files</h3>` +
    problems
      .slice(0, 50)
      .map((p) => `<div class="warning bad" data-file="${esc(p.file)}" data-at="${esc(p.at ?? "")}">${esc(p.file)}${p.at ? `, ${esc(p.at)}` : ""}: ${esc(p.message)}</div>`)
      .join("") +
    (problems.length > 50 ? `<div class="muted small">… and ${problems.length - 50} more</div>` : "");
}

/** Reads the files, runs the program's `history` over them and draws the report. Every problem
 * (a file with no date, a date given twice, a bad row, the core's refusal) is shown on the page
 * with its file and line. */
async function loadHistory(files: HistoryFile[], source: string): Promise<void> {
  $("history-source").textContent = `${source} · reading…`;
  try {
    const read = readHistoryFiles(files);
    if (read.problems.length > 0) {
      $("history-source").textContent = `${source} · not charted`;
      showHistoryProblems(read.problems);
      return;
    }
    if (read.rows.length === 0) {
      $("history-source").textContent = `${source} · not charted`;
      showHistoryProblems([{ file: source, at: null, message: "no snapshot rows" }]);
      return;
    }
    const { history } = await program();
    let report: HistoryReport;
    try {
      report = history({ rows: read.rows });
    } catch (e) {
      const where = locate(e as { row?: number | null }, read.origins);
      $("history-source").textContent = `${source} · not charted`;
      showHistoryProblems([{ file: where?.file ?? source, at: where?.at ?? null, message: e instanceof Error ? e.message : String(e) }]);
      return;
    }
    loadedHistory = { read, report };
    $("history-errors").hidden = true;
    $("history-charts").hidden = false;
    const d = report.dates;
    $("history-source").textContent = `${source} · ${d.length} snapshot${d.length === 1 ? "" : "s"}${d.length ? ` from ${d[0]} to ${d[d.length - 1]}` : ""} · ${report.accounts.length} accounts`;
    $("tier-mix").innerHTML = tierMixSvg(report, tiers);
    const select = $<HTMLSelectElement>("history-account");
    const byName = [...report.accounts].sort((a, b) => (a.name ?? a.account).localeCompare(b.name ?? b.account) || a.account.localeCompare(b.account));
    select.innerHTML = byName.map((a) => `<option value="${esc(a.account)}">${esc(a.name ? `${a.name} · ${a.account}` : a.account)}</option>`).join("");
    renderTimeline();
  } catch (e) {
    $("history-source").textContent = `${source} · not charted`;
    showHistoryProblems([{ file: source, at: null, message: e instanceof Error ? e.message : String(e) }]);
  }
}

/** The selected account's timeline, with the thresholds of the model on the left as guides. */
function renderTimeline(): void {
  const h = loadedHistory;
  if (!h) return;
  const id = $<HTMLSelectElement>("history-account").value;
  const a = h.report.accounts.find((x) => x.account === id);
  if (!a) {
    $("timeline").innerHTML = "";
    $("timeline-facts").textContent = "";
    return;
  }
  $("timeline").innerHTML = timelineSvg(h.report, a, { thresholds: state.spec.tiers ?? {}, maxPoints: state.model.maxPoints }, tiers);
  $("timeline").dataset.account = a.account;
  const t = a.trend;
  $("timeline-facts").textContent = [
    `first qualified: ${a.first_qualified ?? "never"}`,
    `${TIER_LABEL[a.time_in_tier.tier]} since ${a.time_in_tier.since} (${a.time_in_tier.days} days)`,
    t ? `trend over ${h.report.window_days} days: ${t.change > 0 ? "+" : ""}${fmt(t.change)} (${t.direction})` : "no trend (fewer than two snapshots in the window)",
    ...(a.gaps.length ? [`absent from ${a.gaps.length} snapshot${a.gaps.length === 1 ? "" : "s"}`] : []),
    ...(a.revisit ? [`revisit ${a.revisit}${a.revisit_due ? " (due)" : ""}`] : []),
  ].join(" · ");
}

async function loadSampleHistory(): Promise<void> {
  try {
    const names = (await (await fetch("./samples/history/index.json")).json()) as string[];
    const files = await Promise.all(names.map(async (name) => ({ name, text: await (await fetch(`./samples/history/${encodeURIComponent(name)}`)).text() })));
    await loadHistory(files, "sample history");
  } catch (e) {
    showHistoryProblems([{ file: "sample history", at: null, message: e instanceof Error ? e.message : String(e) }]);
  }
}

// ---- language -----------------------------------------------------------------------------------

// The page's own tier names in English; other languages come from the program crate's catalogue.
const TIER_LABEL_EN: Record<Tier, string> = { ...TIER_LABEL };

/** The model's texts in `lang`: the current spec (points, targets, tiers as edited) with the
 * default model's English texts put back, then localized by the program module, which loads on
 * first use. Labels of the default model only: the page edits no label. */
async function setLanguage(lang: string): Promise<void> {
  const program = await import("advocacy-wasm/program");
  await program.init(programWasmUrl);
  const en = Model.default().toObject();
  const spec = readModelForm();
  spec.name = en.name;
  spec.description = en.description;
  spec.outreach = en.outreach;
  for (const c of spec.categories) {
    const ec = en.categories.find((x) => x.id === c.id);
    if (ec) c.label = ec.label;
    for (const k of c.criteria) {
      const ek = ec?.criteria.find((x) => x.id === k.id);
      if (ek) k.label = ek.label;
    }
  }
  for (const g of spec.gates ?? []) {
    const eg = en.gates?.find((x) => x.id === g.id);
    if (eg) g.reason = eg.reason;
  }
  const localized = JSON.parse(program.localizeModel(JSON.stringify(spec), { lang })) as ModelSpec;
  for (const t of tiers) {
    TIER_LABEL[t] = lang === "en" ? TIER_LABEL_EN[t] : capitalize(program.text(`tier.${t}`, { lang }));
  }
  document.documentElement.lang = lang;
  setModel(localized);
  renderModelForm();
  document.body.dataset.lang = lang;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- wiring -----------------------------------------------------------------------------------

async function main(): Promise<void> {
  await init(wasmUrl);
  const model = Model.default();
  state = {
    model,
    spec: model.toObject(),
    table: null,
    mapping: {},
    records: [],
    names: [],
    result: null,
    order: [],
    selected: null,
    source: "",
  };
  renderModelForm();
  renderSummary();

  $("sample").addEventListener("click", () => void loadSample());
  $<HTMLSelectElement>("lang").addEventListener("change", (e) => void setLanguage((e.target as HTMLSelectElement).value));
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
  $("columns-rows").addEventListener("change", (e) => {
    const sel = e.target as HTMLSelectElement;
    const header = sel.dataset.header;
    const t = state.table;
    if (header === undefined || !t) return;
    state.mapping = { ...state.mapping, columns: { ...(state.mapping.columns ?? {}), [header]: sel.value } };
    saveMapping(t.header, state.mapping);
    state.selected = null;
    readTable();
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
  $("history-sample").addEventListener("click", () => void loadSampleHistory());
  $<HTMLInputElement>("history-files").addEventListener("change", (e) => {
    const input = e.target as HTMLInputElement;
    const list = [...(input.files ?? [])];
    input.value = "";
    if (list.length === 0) return;
    void Promise.all(list.map(async (f) => ({ name: f.name, text: await f.text() })))
      .then((files) => loadHistory(files, files.length === 1 ? files[0].name : `${files.length} files`))
      .catch((err: unknown) => showHistoryProblems([{ file: list.map((f) => f.name).join(", "), at: null, message: `could not be read: ${err instanceof Error ? err.message : String(err)}` }]));
  });
  $("history-account").addEventListener("change", () => renderTimeline());
  document.body.dataset.ready = "true";
}

void main();
