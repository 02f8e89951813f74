// A dyad over time: cooperation stacked above the axis and conflict below it, one bar per
// period, with the mean Goldstein-style score as a line; a table gives the same numbers.

import { el, svg, mount, field, input, select } from "./dom.js";
import { api } from "./api.js";
import { navigate, href } from "./router.js";

export const UNITS = [["event", "real events (merged)"], ["mention", "mentions"]];
const COOPERATION = ["verbal_cooperation", "material_cooperation"];
const CONFLICT = ["verbal_conflict", "material_conflict"];
const W = 860;
const H = 360;
const PAD = { left: 44, right: 44, top: 16, bottom: 52 };

function chart(series) {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const up = Math.max(1, ...series.map((r) => COOPERATION.reduce((s, k) => s + (r[k] || 0), 0)));
  const down = Math.max(1, ...series.map((r) => CONFLICT.reduce((s, k) => s + (r[k] || 0), 0)));
  const zeroY = PAD.top + innerH * (up / (up + down));
  const perEvent = innerH / (up + down);
  const band = innerW / Math.max(1, series.length);
  const barW = Math.max(2, Math.min(40, band * 0.7));
  const scoreY = (score) => PAD.top + innerH * (1 - (score + 10) / 20);

  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img",
    "aria-label": "Events per period: cooperation above the axis, conflict below",
  });
  for (const score of [-10, -5, 0, 5, 10]) {
    root.append(svg("text", { x: W - PAD.right + 6, y: scoreY(score) + 4, class: "axis-label" },
      score > 0 ? `+${score}` : String(score)));
  }
  root.append(svg("text", { x: 4, y: PAD.top + 10, class: "axis-label" }, `${up}`));
  root.append(svg("text", { x: 4, y: H - PAD.bottom, class: "axis-label" }, `−${down}`));
  root.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: zeroY, y2: zeroY, class: "axis" }));

  const labelEvery = Math.ceil(series.length / 12);
  const scorePoints = [];
  series.forEach((row, i) => {
    const x = PAD.left + band * i + (band - barW) / 2;
    const group = svg("g", { class: "period", dataset: { period: row.period } },
      svg("title", {}, `${row.period}: ${row.events} events, mean score ${row.score_mean ?? "—"}`));
    let y = zeroY;
    for (const kind of COOPERATION) {
      const h = (row[kind] || 0) * perEvent;
      y -= h;
      if (h) group.append(svg("rect", { x, y, width: barW, height: h, class: `bar quad-${kind}` }));
    }
    y = zeroY;
    for (const kind of CONFLICT) {
      const h = (row[kind] || 0) * perEvent;
      if (h) group.append(svg("rect", { x, y, width: barW, height: h, class: `bar quad-${kind}` }));
      y += h;
    }
    if (i % labelEvery === 0) {
      group.append(svg("text", {
        x: x + barW / 2, y: H - PAD.bottom + 16, class: "axis-label", "text-anchor": "middle",
      }, row.start || row.period));
    }
    if (typeof row.score_mean === "number") {
      scorePoints.push([x + barW / 2, scoreY(row.score_mean)]);
    }
    root.append(group);
  });
  if (scorePoints.length) {
    root.append(svg("polyline", {
      points: scorePoints.map((p) => p.join(",")).join(" "), class: "score-line",
    }));
    for (const [x, y] of scorePoints) root.append(svg("circle", { cx: x, cy: y, r: 3, class: "score-dot" }));
  }
  return root;
}

function legend() {
  return el("ul", { class: "legend" },
    ...[...COOPERATION, ...CONFLICT].map((kind) =>
      el("li", {}, el("span", { class: `swatch quad-${kind}` }), kind.replace("_", " "))),
    el("li", {}, el("span", { class: "swatch score-swatch" }), "mean score (right axis)"));
}

export async function renderDyad(root, route) {
  const [a = route.params.a || "", b = route.params.b || ""] = route.args;
  const params = route.params;
  const form = el("form", { class: "filters", "aria-label": "Dyad" },
    field("Side A", input("a", a, { placeholder: "IND", required: true })),
    field("Side B", input("b", b, { placeholder: "USA", required: true })),
    field("Per", select("by", ["week", "month", "day"], params.by || "week")),
    field("Direction", select("directed", [["", "both ways"], ["true", "A → B only"]], params.directed)),
    field("Count", select("unit", UNITS, params.unit || "event")),
    field("From", input("from", params.from, { type: "date" })),
    field("To", input("to", params.to, { type: "date" })),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    navigate(`dyad/${encodeURIComponent(data.a.trim())}/${encodeURIComponent(data.b.trim())}`,
      { by: data.by, directed: data.directed, unit: data.unit, from: data.from, to: data.to });
  });
  if (!a || !b) {
    mount(root, el("h1", {}, "Dyads"), form,
      el("p", { class: "muted" }, "Pick two actors (country codes or knowledge-base ids)."));
    return;
  }
  const data = await api.dyadSeries(a, b, {
    by: params.by || "week", directed: params.directed, unit: params.unit, from: params.from,
    to: params.to,
  });
  const series = data.series || [];
  const total = series.reduce((s, r) => s + (r.events || 0), 0);
  mount(root,
    el("h1", {}, `${a} – ${b}`),
    form,
    el("p", { class: "links" },
      `${total} event${total === 1 ? "" : "s"} in ${series.length} ` +
        `${data.by || "period"}${series.length === 1 ? "" : "s"}`,
      data.unit === "mention" ? " (mentions)" : "", " · ",
      el("a", { href: href("events", { actor: a, recipient: b, from: params.from, to: params.to }) },
        `${a} → ${b} events`), " · ",
      el("a", { href: href("events", { actor: b, recipient: a, from: params.from, to: params.to }) },
        `${b} → ${a} events`)),
    series.length ? el("figure", { class: "chart-box" }, chart(series), legend())
      : el("p", { class: "muted" }, "No event between these two in the store."),
    series.length ? el("div", { class: "table-wrap" }, el("table", { class: "results" },
      el("thead", {}, el("tr", {}, ...["Period", "Events", "Verbal coop.", "Material coop.",
        "Verbal conflict", "Material conflict", "Mean score"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...series.map((row) => el("tr", {},
        el("td", {}, row.period), el("td", { class: "num" }, row.events),
        ...[...COOPERATION, ...CONFLICT].map((k) => el("td", { class: "num" }, row[k] || 0)),
        el("td", { class: "num" }, row.score_mean ?? "—")))))) : null);
}
