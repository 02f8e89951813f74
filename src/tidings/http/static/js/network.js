// Who acts on whom in a period: actors as nodes (sized by events), directed edges coloured
// by mean score (green cooperation, red conflict). Layout is a small, seeded force
// simulation so the same data always draws the same picture.

import { el, svg, mount, field, input, select } from "./dom.js";
import { api } from "./api.js";
import { navigate, href } from "./router.js";
import { UNITS } from "./dyad.js";

const W = 900;
const H = 560;

function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Fruchterman–Reingold positions: repulsion k²/d between all nodes, attraction d²/k
 * along edges, gravity to the centre (keeps separate components on screen), cooling. */
export function layout(nodes, edges, iterations = 300) {
  const random = seededRandom(nodes.length * 7919 + edges.length);
  const pos = new Map(nodes.map((n) => [n.id, {
    x: W / 2 + (random() - 0.5) * W * 0.5, y: H / 2 + (random() - 0.5) * H * 0.5,
  }]));
  const k = 0.4 * Math.sqrt((W * H) / Math.max(1, nodes.length));
  for (let step = 0; step < iterations; step += 1) {
    const temperature = (W / 10) * (1 - step / iterations) + 1;
    const force = new Map(nodes.map((n) => [n.id, { x: 0, y: 0 }]));
    for (let i = 0; i < nodes.length; i += 1) {
      for (let j = i + 1; j < nodes.length; j += 1) {
        const p = pos.get(nodes[i].id);
        const q = pos.get(nodes[j].id);
        const dx = p.x - q.x || 0.01;
        const dy = p.y - q.y || 0.01;
        const dist = Math.sqrt(dx * dx + dy * dy);
        const push = (k * k) / dist / dist;
        force.get(nodes[i].id).x += dx * push; force.get(nodes[i].id).y += dy * push;
        force.get(nodes[j].id).x -= dx * push; force.get(nodes[j].id).y -= dy * push;
      }
    }
    for (const edge of edges) {
      const p = pos.get(edge.source);
      const q = pos.get(edge.target);
      if (!p || !q) continue;
      const dx = q.x - p.x;
      const dy = q.y - p.y;
      const pull = Math.sqrt(dx * dx + dy * dy) / k;
      force.get(edge.source).x += dx * pull; force.get(edge.source).y += dy * pull;
      force.get(edge.target).x -= dx * pull; force.get(edge.target).y -= dy * pull;
    }
    for (const node of nodes) {
      const p = pos.get(node.id);
      const f = force.get(node.id);
      f.x += (W / 2 - p.x) * 0.3;
      f.y += (H / 2 - p.y) * 0.3;
      const len = Math.sqrt(f.x * f.x + f.y * f.y) || 1;
      const move = Math.min(len, temperature);
      p.x = Math.min(W - 90, Math.max(90, p.x + (f.x / len) * move));
      p.y = Math.min(H - 30, Math.max(45, p.y + (f.y / len) * move));
    }
  }
  return pos;
}

function scoreClass(score) {
  if (typeof score !== "number") return "edge-neutral";
  return score > 0.5 ? "edge-coop" : score < -0.5 ? "edge-conflict" : "edge-neutral";
}

function networkSvg(nodes, edges, params) {
  const pos = layout(nodes, edges);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "network", role: "img",
    "aria-label": "Actor network" });
  root.append(svg("defs", {}, svg("marker", {
    id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 10, markerHeight: 10,
    markerUnits: "userSpaceOnUse",
    orient: "auto-start-reverse",
  }, svg("path", { d: "M0,0L10,5L0,10Z", class: "arrow-head" }))));
  const maxEdge = Math.max(1, ...edges.map((e) => e.events || 1));
  const maxNode = Math.max(1, ...nodes.map((n) => n.events || 1));
  const radius = (node) => 6 + 16 * Math.sqrt((node.events || 1) / maxNode);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const pairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
  for (const edge of edges) {
    const p = pos.get(edge.source);
    const q = pos.get(edge.target);
    if (!p || !q) continue;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const dist = Math.sqrt(dx * dx + dy * dy) || 1;
    const r = radius(byId.get(edge.target)) + 2;
    // A link both ways draws as two parallel lines, each shifted to its own right.
    const shift = pairs.has(`${edge.target}\u0000${edge.source}`) ? 4 : 0;
    const [ox, oy] = [(-dy / dist) * shift, (dx / dist) * shift];
    const line = svg("line", {
      x1: p.x + ox, y1: p.y + oy, x2: q.x - (dx / dist) * r + ox, y2: q.y - (dy / dist) * r + oy,
      class: `edge ${scoreClass(edge.score_mean)}`, "marker-end": "url(#arrow)",
      "stroke-width": 1 + 5 * ((edge.events || 1) / maxEdge),
    }, svg("title", {}, `${edge.source} → ${edge.target}: ${edge.events} events, mean score ${edge.score_mean ?? "—"}`));
    const link = svg("a", { href: href(`dyad/${encodeURIComponent(edge.source)}/${encodeURIComponent(edge.target)}`, { directed: "true", from: params.from, to: params.to }) }, line);
    root.append(link);
  }
  for (const node of nodes) {
    const p = pos.get(node.id);
    const group = svg("a", { href: href("events", { [params.level === "entity" ? "actor" : "country"]: node.id, from: params.from, to: params.to }), class: "node" },
      svg("circle", { cx: p.x, cy: p.y, r: radius(node) }),
      svg("text", { x: p.x, y: p.y - radius(node) - 4, "text-anchor": "middle" }, node.label || node.id),
      svg("title", {}, `${node.label || node.id}: ${node.events} events`));
    root.append(group);
  }
  return root;
}

const DEFAULT_DAYS = 90;

/** Without dates, the last DEFAULT_DAYS of the store: a whole large store takes long to
 * analyse, and recent relations are what a first look wants. */
async function defaultPeriod() {
  const newest = (await api.events({ order: "newest", limit: 1 })).events[0];
  const value = newest?.date?.value;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return {};
  const end = new Date(`${value}T00:00:00Z`);
  const start = new Date(end.getTime() - DEFAULT_DAYS * 86400000);
  return { from: start.toISOString().slice(0, 10), to: value };
}

export async function renderNetwork(root, route) {
  const chosen = route.params.from || route.params.to;
  const params = chosen ? route.params : { ...route.params, ...(await defaultPeriod()) };
  const form = el("form", { class: "filters", "aria-label": "Period" },
    field("From", input("from", params.from, { type: "date" })),
    field("To", input("to", params.to, { type: "date" })),
    field("Nodes", select("level", [["country", "countries"], ["entity", "actors"]], params.level || "country")),
    field("Count", select("unit", UNITS, params.unit || "event")),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate("network", Object.fromEntries(new FormData(form)));
  });
  const data = await api.network({ from: params.from, to: params.to, level: params.level,
    unit: params.unit });
  const nodes = data.nodes || [];
  const edges = data.edges || [];
  mount(root,
    el("h1", {}, "Network"),
    form,
    el("p", { class: "muted" }, chosen || !params.from ? "" :
      `The ${DEFAULT_DAYS} days up to the newest event; pick dates for another period. `,
      `${nodes.length} actors, ${edges.length} directed links. ` +
      "Edge colour: green cooperation, red conflict, grey mixed; width: number of events."),
    nodes.length ? el("figure", { class: "chart-box" }, networkSvg(nodes, edges, params))
      : el("p", { class: "muted" }, "No event with both an actor and a recipient in this period."));
}
