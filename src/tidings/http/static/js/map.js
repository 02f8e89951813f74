// Where events happened: an equirectangular world (shipped Natural Earth land outline, no
// online tiles) with one circle per place, sized by its number of events.

import { el, svg, mount } from "./dom.js";
import { api } from "./api.js";
import { href } from "./router.js";
import { filterForm, filtersOf } from "./events.js";
import { dateLabel, entitiesLabel } from "./format.js";

const W = 960;
const H = 480;
const PAGE_SIZE = 200;
const MAX_PAGES = 5;

const project = (lon, lat) => [((lon + 180) / 360) * W, ((90 - lat) / 180) * H];

let landPath = null;

/** Decode the shipped TopoJSON (quantised, delta-encoded arcs) into one SVG path string. */
async function loadLand() {
  if (landPath !== null) return landPath;
  const topo = await (await fetch("/static/data/land-110m.json")).json();
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return project(x * sx + tx, y * sy + ty);
    });
  });
  // A ring that crosses the antimeridian jumps across the whole map: cut it there and
  // close each piece on its own side, so no stray line spans the map.
  const ring = (indexes) => {
    const points = [];
    for (const index of indexes) {
      const arc = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    const pieces = [[]];
    points.forEach((point, i) => {
      if (i && Math.abs(point[0] - points[i - 1][0]) > W / 2) pieces.push([]);
      pieces[pieces.length - 1].push(point);
    });
    return pieces.filter((piece) => piece.length > 2)
      .map((piece) => `M${piece.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join("L")}Z`)
      .join("");
  };
  const parts = [];
  for (const geometry of topo.objects.land.geometries) {
    const polygons = geometry.type === "Polygon" ? [geometry.arcs] : geometry.arcs;
    for (const polygon of polygons) for (const rings of polygon) parts.push(ring(rings));
  }
  landPath = parts.join("");
  return landPath;
}

function placesOf(events) {
  const places = new Map();
  for (const record of events) {
    const loc = record.location;
    if (!loc || typeof loc.lat !== "number" || typeof loc.lon !== "number") continue;
    const key = `${loc.lat.toFixed(3)},${loc.lon.toFixed(3)}`;
    if (!places.has(key)) places.set(key, { location: loc, events: [] });
    places.get(key).events.push(record);
  }
  return [...places.values()].sort((p, q) => q.events.length - p.events.length);
}

function worldMap(land, places, onPick) {
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "map", role: "img",
    "aria-label": "World map of event locations" });
  root.append(svg("rect", { x: 0, y: 0, width: W, height: H, class: "sea" }));
  for (let lon = -150; lon <= 150; lon += 30) {
    const [x] = project(lon, 0);
    root.append(svg("line", { x1: x, x2: x, y1: 0, y2: H, class: "graticule" }));
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    const [, y] = project(0, lat);
    root.append(svg("line", { x1: 0, x2: W, y1: y, y2: y, class: lat === 0 ? "graticule equator" : "graticule" }));
  }
  root.append(svg("path", { d: land, class: "land" }));
  const biggest = Math.max(1, ...places.map((p) => p.events.length));
  for (const place of places) {
    const [x, y] = project(place.location.lon, place.location.lat);
    const dot = svg("circle", {
      cx: x, cy: y, r: 3 + 9 * Math.sqrt(place.events.length / biggest), class: "place-dot",
      tabindex: 0, role: "button", dataset: { place: place.location.name || "" },
    }, svg("title", {}, `${place.location.name || place.location.text}: ${place.events.length} events`));
    dot.addEventListener("click", () => onPick(place));
    dot.addEventListener("keydown", (event) => { if (event.key === "Enter") onPick(place); });
    root.append(dot);
  }
  return root;
}

function placeDetails(place) {
  return el("div", {},
    el("h2", {}, `${place.location.name || place.location.text} (${place.events.length})`),
    el("ul", { class: "mentions" }, ...place.events.map((record) => el("li", {},
      el("a", { href: href(`event/${encodeURIComponent(record.event_id)}`) },
        `${dateLabel(record.date)} ${record.event_type}`),
      " ", `${entitiesLabel(record.actor)} → ${entitiesLabel(record.recipient)}`))));
}

export async function renderMap(root, route) {
  const filters = filtersOf(route.params);
  const events = [];
  let cursor;
  let truncated = false;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await api.events({ ...filters, limit: PAGE_SIZE, cursor });
    events.push(...result.events);
    cursor = result.next_cursor;
    if (!cursor) break;
    truncated = page === MAX_PAGES - 1;
  }
  const places = placesOf(events);
  const details = el("div", { class: "place-details" },
    el("p", { class: "muted" }, "Pick a circle to list its events."));
  const located = places.reduce((s, p) => s + p.events.length, 0);
  mount(root,
    el("h1", {}, "Map"),
    await filterForm("map", route.params),
    el("p", { class: "muted" },
      `${located} of ${events.length} events have a location, at ${places.length} places`,
      truncated ? ` (the first ${events.length} matching events; narrow the filters to see all)` : ""),
    el("figure", { class: "map-box" },
      worldMap(await loadLand(), places, (place) => mount(details, placeDetails(place)))),
    details);
}
