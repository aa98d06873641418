// The page's history: several scored snapshots (the CLI's `advocacy score --format csv` files
// named YYYY-MM-DD.csv, or one long CSV/JSON with an `as_of` column) read into the long rows the
// program's `history` takes, and its report drawn as SVG: the tier mix of every snapshot
// (stacked bars) and one account's score over time. Every number drawn comes from the report;
// this module only reads files and places what the core computed.
import Papa from "papaparse";
import type { Tier } from "advocacy-wasm";
import type { AccountHistory, HistoryReport } from "advocacy-wasm/program";

/** A file the user gave, with its text. */
export interface HistoryFile {
  name: string;
  text: string;
}

/** Where a history row came from: its file and its line (CSV) or item (JSON), 1-based. */
export interface RowOrigin {
  file: string;
  /** `line 3` (CSV, the header is line 1) or `item 2` (JSON array). */
  at: string;
}

/** Something wrong with the files, named by file and, when it is about one row, where. */
export interface HistoryProblem {
  file: string;
  at: string | null;
  message: string;
}

/** The files read as the long rows of `history`, each with its origin, and what was wrong. */
export interface HistoryRows {
  rows: Record<string, string | number>[];
  origins: RowOrigin[];
  problems: HistoryProblem[];
  /** Each snapshot date and the file it came from. */
  dates: Map<string, string>;
}

/** The point at which each qualified tier starts, and the model's maximum (the score axis). */
export interface Guides {
  thresholds: Partial<Record<Tier, number>>;
  maxPoints: number;
}

const DATE_IN_NAME = /(\d{4}-\d{2}-\d{2})/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Columns that stay text even when they look like numbers (ids such as `007`, days). */
const TEXT_COLUMNS = new Set(["id", "name", "as_of", "tier"]);

/**
 * The snapshot date in a file's name (`2026-03-31.csv`, `accounts-2026-03-31.csv`), or null.
 *
 * ```ts
 * fileDate("2026-03-31.csv"); // "2026-03-31"
 * fileDate("accounts.csv"); // null
 * ```
 */
export function fileDate(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  return DATE_IN_NAME.exec(base)?.[1] ?? null;
}

/** A CSV cell as a JSON value: empty cells are left out, numbers are numbers. */
function cell(column: string, value: string): string | number | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (!TEXT_COLUMNS.has(column) && NUMBER.test(v)) return Number(v);
  return v;
}

/**
 * Reads the files into the long rows of the program's `history` (one per account and snapshot,
 * each with its `as_of`), remembering the file and line of every row so that the core's errors
 * can be shown where they are. A CSV with an `as_of` column is a long table (an empty `as_of`
 * takes the date in the file's name, if any); any other CSV is one snapshot, dated by its name.
 * A JSON file is an array of rows (or `{ "rows": [...] }`), dated the same way. A file with no
 * date, a date given by two files, a row with the wrong number of cells and a file that cannot
 * be parsed are problems, named by file and line.
 *
 * ```ts
 * const read = readHistoryFiles([
 *   { name: "2026-01-31.csv", text: "id,score,tier\na,45,silver\n" },
 *   { name: "2026-02-28.csv", text: "id,score,tier\na,62,gold\n" },
 * ]);
 * read.rows; // [{ id: "a", score: 45, tier: "silver", as_of: "2026-01-31" }, { id: "a", score: 62, tier: "gold", as_of: "2026-02-28" }]
 * read.origins[1]; // { file: "2026-02-28.csv", at: "line 2" }
 * read.problems; // []
 * ```
 */
export function readHistoryFiles(files: readonly HistoryFile[]): HistoryRows {
  const out: HistoryRows = { rows: [], origins: [], problems: [], dates: new Map() };
  const problem = (file: string, at: string | null, message: string) => out.problems.push({ file, at, message });
  for (const f of files) {
    const named = fileDate(f.name);
    const own = new Set<string>();
    const add = (row: Record<string, string | number>, at: string, date: string | undefined) => {
      if (date === undefined) {
        problem(f.name, at, "no snapshot date: the row has no as_of and the file's name has no date (YYYY-MM-DD)");
        return;
      }
      own.add(date);
      out.rows.push({ ...row, as_of: date });
      out.origins.push({ file: f.name, at });
    };
    if (/\.json$/i.test(f.name)) {
      let data: unknown;
      try {
        data = JSON.parse(f.text);
      } catch (e) {
        problem(f.name, null, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const list = Array.isArray(data) ? data : (data as { rows?: unknown } | null)?.rows;
      if (!Array.isArray(list)) {
        problem(f.name, null, "not a history: expected an array of rows (each with as_of, id, total or score, tier) or { \"rows\": [...] }");
        continue;
      }
      list.forEach((item: unknown, i) => {
        const at = `item ${i + 1}`;
        if (item === null || typeof item !== "object" || Array.isArray(item)) {
          problem(f.name, at, "not a row: expected an object with as_of, id, total or score, tier");
          return;
        }
        const row = { ...(item as Record<string, string | number>) };
        const asOf = row.as_of;
        add(row, at, asOf === undefined || asOf === null || asOf === "" ? (named ?? undefined) : String(asOf));
      });
    } else {
      const parsed = Papa.parse<string[]>(f.text, { skipEmptyLines: "greedy" });
      const [header, ...data] = parsed.data;
      if (!header || header.length === 0) {
        problem(f.name, null, "the file is empty");
        continue;
      }
      const cols = header.map((h) => h.trim());
      const long = cols.includes("as_of");
      if (!long && named === null) {
        problem(f.name, null, "no snapshot date: name the file YYYY-MM-DD.csv (as `advocacy snapshot` does) or give it an as_of column");
        continue;
      }
      data.forEach((r, i) => {
        const at = `line ${i + 2}`;
        if (r.length !== cols.length) {
          problem(f.name, at, `the row has ${r.length} cells; allowed: exactly ${cols.length}, one per header`);
          return;
        }
        const row: Record<string, string | number> = {};
        cols.forEach((c, k) => {
          const v = cell(c, r[k] ?? "");
          if (v !== undefined && c !== "as_of") row[c] = v;
        });
        const asOf = long ? (r[cols.indexOf("as_of")] ?? "").trim() : "";
        add(row, at, asOf !== "" ? asOf : (named ?? undefined));
      });
      if (data.length === 0) problem(f.name, null, "no rows: a snapshot needs at least one account");
    }
    for (const d of [...own].sort()) {
      const first = out.dates.get(d);
      if (first !== undefined) problem(f.name, null, `the snapshot of ${d} is given twice (here and in ${first}); allowed: one file per date`);
      else out.dates.set(d, f.name);
    }
  }
  return out;
}

/**
 * Where a `history` error is: the file and line of the row it names (its `row`, an index into
 * the rows given), or null when it names none.
 *
 * ```ts
 * locate({ row: 1 }, [{ file: "a.csv", at: "line 2" }, { file: "b.csv", at: "line 2" }]); // { file: "b.csv", at: "line 2" }
 * ```
 */
export function locate(error: { row?: number | null }, origins: readonly RowOrigin[]): RowOrigin | null {
  return typeof error.row === "number" ? (origins[error.row] ?? null) : null;
}

// ---- SVG ------------------------------------------------------------------------------------

const COLOR: Record<Tier, string> = {
  platinum: "#5b6b8c",
  gold: "#d4a017",
  silver: "#a3abb6",
  not_yet_qualified: "#d3d8e2",
  not_advocate_material: "#c2410c",
};
const INK = "#1d2433";
const MUTED = "#6b7385";
const LINE = "#e4e7ef";

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function n(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function label(t: string): string {
  const s = t.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A round top for an axis reaching `value`, and its tick step. */
function niceMax(value: number, ticks = 5): [number, number] {
  if (value <= 0) return [1, 1];
  const raw = value / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return [step * Math.ceil(value / step - 1e-9), step];
}

function yAxis(left: number, width: number, top: number, step: number, y: (v: number) => number, name: string, mid: number): string {
  let s = `<g class="y-axis">`;
  for (let v = 0; v <= top + 1e-9; v += step) {
    s += `<line x1="${n(left)}" x2="${n(left + width)}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${LINE}"/>`;
    s += `<text class="tick" x="${n(left - 6)}" y="${n(y(v) + 4)}" text-anchor="end" fill="${MUTED}">${n(v)}</text>`;
  }
  return `${s}<text transform="translate(14 ${n(mid)}) rotate(-90)" text-anchor="middle" fill="${MUTED}">${esc(name)}</text></g>`;
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="img" font-size="11" font-family="system-ui, sans-serif"><title>${esc(title)}</title>${body}</svg>`;
}

/**
 * The report's tier mix as stacked bars, one bar (`g.bar[data-date][data-accounts]`) per
 * snapshot, each of its tiers a `rect.segment[data-tier][data-count]` stacked worst at the bottom
 * in the order of `order` (the package's `tiers`, best first), with a tooltip of date, tier and
 * count. Heights are proportional to the counts.
 *
 * ```ts
 * document.querySelector("#tier-mix")!.innerHTML = tierMixSvg(history(rows), tiers);
 * ```
 */
export function tierMixSvg(report: HistoryReport, order: readonly Tier[]): string {
  const mix = report.tier_mix;
  const worstFirst = [...order].reverse();
  const [top, step] = niceMax(Math.max(0, ...mix.map((s) => s.accounts)));
  const left = 52, right = 180, head = 20, plotH = 220;
  const slot = Math.max(26, Math.min(72, 560 / Math.max(1, mix.length)));
  const plotW = slot * Math.max(1, mix.length);
  const rotate = mix.length > 8;
  const foot = rotate ? 72 : 44;
  const width = left + plotW + right, height = head + plotH + foot, bottom = head + plotH;
  const y = (v: number) => bottom - (plotH * v) / top;
  const barW = slot * 0.64;
  let body = yAxis(left, plotW, top, step, y, "accounts", head + plotH / 2);
  mix.forEach((snap, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    body += `<g class="bar" data-date="${esc(snap.as_of)}" data-accounts="${snap.accounts}">`;
    let acc = 0;
    for (const t of worstFirst) {
      const c = snap.tiers[t] ?? 0;
      if (c === 0) continue;
      const y0 = y(acc + c), y1 = y(acc);
      const share = snap.accounts ? Math.round((100 * c) / snap.accounts) : 0;
      body += `<rect class="segment" data-tier="${t}" data-count="${c}" x="${n(x)}" y="${n(y0)}" width="${n(barW)}" height="${n(y1 - y0)}" fill="${COLOR[t]}" stroke="#fff" stroke-width="0.5"><title>${esc(snap.as_of)} · ${label(t)}: ${c} of ${snap.accounts} accounts (${share}%)</title></rect>`;
      acc += c;
    }
    body += `<text class="total" x="${n(x + barW / 2)}" y="${n(y(snap.accounts) - 4)}" text-anchor="middle" fill="${MUTED}" font-size="10">${snap.accounts}</text>`;
    body += rotate
      ? `<text class="date" transform="translate(${n(x + barW / 2 + 3)} ${n(bottom + 10)}) rotate(-40)" text-anchor="end" fill="${MUTED}">${esc(snap.as_of)}</text></g>`
      : `<text class="date" x="${n(x + barW / 2)}" y="${n(bottom + 14)}" text-anchor="middle" fill="${MUTED}">${esc(snap.as_of)}</text></g>`;
  });
  body += `<line x1="${n(left)}" x2="${n(left + plotW)}" y1="${n(bottom)}" y2="${n(bottom)}" stroke="${MUTED}"/>`;
  body += `<text x="${n(left + plotW / 2)}" y="${n(height - 6)}" text-anchor="middle" fill="${MUTED}">snapshot</text>`;
  body += `<g class="legend">${order
    .map((t, k) => `<g class="legend-item" data-tier="${t}"><rect x="${n(left + plotW + 22)}" y="${n(head + 4 + 18 * k)}" width="11" height="11" rx="2" fill="${COLOR[t]}"/><text x="${n(left + plotW + 38)}" y="${n(head + 13.5 + 18 * k)}" fill="${INK}">${label(t)}</text></g>`)
    .join("")}</g>`;
  return svg(width, height, "Tier mix over time", body);
}

function day(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000;
}

/**
 * One account's score over the report's snapshots: a line through its totals (broken where it
 * is absent from a snapshot, each such snapshot a `g.gap[data-date]`), each point a
 * `circle.point[data-date][data-total][data-tier]` coloured by that day's tier, and the tier
 * thresholds as dashed guides (`g.threshold[data-tier][data-value]`). Dates are placed by time.
 *
 * ```ts
 * timelineSvg(report, report.accounts[0], { thresholds: { platinum: 80, gold: 60, silver: 40 }, maxPoints: 100 }, tiers);
 * ```
 */
export function timelineSvg(report: HistoryReport, account: AccountHistory, guides: Guides, order: readonly Tier[]): string {
  const dates = report.dates;
  const points = account.timeline;
  const lines = order.filter((t) => typeof guides.thresholds[t] === "number").map((t) => [t, guides.thresholds[t] as number] as const);
  const [top, step] = niceMax(Math.max(guides.maxPoints, ...points.map((p) => p.total), ...lines.map(([, v]) => v)));
  const left = 52, right = 130, head = 30, plotH = 210, foot = 72;
  const plotW = Math.max(280, Math.min(640, 56 * Math.max(1, dates.length)));
  const width = left + plotW + right, height = head + plotH + foot, bottom = head + plotH;
  const d0 = dates.length ? day(dates[0]) : 0, d1 = dates.length ? day(dates[dates.length - 1]) : 0;
  const pad = 14;
  const x = (d: string) => (d1 === d0 ? left + plotW / 2 : left + pad + ((plotW - 2 * pad) * (day(d) - d0)) / (d1 - d0));
  const y = (v: number) => bottom - (plotH * v) / top;
  let body = yAxis(left, plotW, top, step, y, "score", head + plotH / 2);
  body += `<g class="thresholds">${lines
    .map(([t, v]) => `<g class="threshold" data-tier="${t}" data-value="${v}"><line x1="${n(left)}" x2="${n(left + plotW)}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${COLOR[t]}" stroke-width="1.5" stroke-dasharray="5 4"/><text x="${n(left + plotW + 6)}" y="${n(y(v) + 3.5)}" fill="${MUTED}" font-size="10">${label(t)} ≥ ${v}</text><title>${label(t)} from ${v} points</title></g>`)
    .join("")}</g>`;
  const every = Math.max(1, Math.ceil(dates.length / 12));
  body += `<g class="x-axis">`;
  dates.forEach((d, k) => {
    body += `<line x1="${n(x(d))}" x2="${n(x(d))}" y1="${n(bottom)}" y2="${n(bottom + 4)}" stroke="${MUTED}"/>`;
    if (k % every === 0 || k === dates.length - 1) {
      body += `<text class="date" transform="translate(${n(x(d) + 3)} ${n(bottom + 14)}) rotate(-40)" text-anchor="end" fill="${MUTED}">${esc(d)}</text>`;
    }
  });
  body += `<line x1="${n(left)}" x2="${n(left + plotW)}" y1="${n(bottom)}" y2="${n(bottom)}" stroke="${MUTED}"/></g>`;
  // The line, broken where a snapshot between two of its points does not have the account.
  const gaps = new Set(account.gaps);
  const index = new Map(dates.map((d, k) => [d, k]));
  const runs: (typeof points)[] = [];
  for (const p of points) {
    const last = runs[runs.length - 1];
    const prev = last?.[last.length - 1];
    const between = prev ? dates.slice((index.get(prev.as_of) ?? 0) + 1, index.get(p.as_of) ?? 0) : [];
    if (last && !between.some((d) => gaps.has(d))) last.push(p);
    else runs.push([p]);
  }
  for (const run of runs) {
    if (run.length > 1) body += `<polyline class="line" points="${run.map((p) => `${n(x(p.as_of))},${n(y(p.total))}`).join(" ")}" fill="none" stroke="${INK}" stroke-width="1.6"/>`;
  }
  for (const g of account.gaps) {
    body += `<g class="gap" data-date="${esc(g)}"><line x1="${n(x(g))}" x2="${n(x(g))}" y1="${n(head)}" y2="${n(bottom)}" stroke="${MUTED}" stroke-dasharray="2 3"/><text x="${n(x(g))}" y="${n(bottom - 6)}" text-anchor="middle" fill="${MUTED}" font-size="10">absent</text><title>${esc(g)}: not in this snapshot</title></g>`;
  }
  for (const p of points) {
    const revisit = p.revisit ? ` · revisit ${p.revisit}` : "";
    body += `<circle class="point" data-date="${esc(p.as_of)}" data-total="${p.total}" data-tier="${p.tier}" cx="${n(x(p.as_of))}" cy="${n(y(p.total))}" r="4.5" fill="${COLOR[p.tier]}" stroke="${INK}"><title>${esc(p.as_of)}: ${p.total} points · ${label(p.tier)}${esc(revisit)}</title></circle>`;
  }
  let lx = left;
  body += `<g class="legend">`;
  for (const t of order.filter((t) => points.some((p) => p.tier === t))) {
    body += `<g class="legend-item" data-tier="${t}"><circle cx="${n(lx + 5)}" cy="12" r="4.5" fill="${COLOR[t]}" stroke="${INK}"/><text x="${n(lx + 13)}" y="15.5" fill="${MUTED}" font-size="10">${label(t)}</text></g>`;
    lx += 22 + 6.2 * label(t).length;
  }
  body += `</g>`;
  const name = account.name ? `${account.name} (${account.account})` : account.account;
  return svg(width, height, `${name}: score over time`, body);
}
