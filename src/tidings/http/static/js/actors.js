// Knowledge-base actors: search by name, and one actor's entry with links to its events.

import { el, mount, field, input } from "./dom.js";
import { api } from "./api.js";
import { navigate, href } from "./router.js";

const SUMMARY_KEYS = ["name", "country", "sector", "type", "kind", "wikidata"];

function actorId(actor) {
  return actor.kb_id || actor.id;
}

function valueText(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value) && value.every((v) => typeof v !== "object")) return value.join(", ") || "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A list of records (e.g. a person's tenures) as a small table; anything else as text. */
function valueNode(value) {
  const rows = Array.isArray(value) && value.length && value.every((v) => v && typeof v === "object" && !Array.isArray(v));
  if (!rows) return valueText(value);
  const keys = [...new Set(value.flatMap((v) => Object.keys(v)))];
  return el("table", { class: "inner" },
    el("thead", {}, el("tr", {}, ...keys.map((k) => el("th", {}, k)))),
    el("tbody", {}, ...value.map((v) => el("tr", {}, ...keys.map((k) => el("td", {}, valueText(v[k])))))));
}

export async function renderActors(root, route) {
  const q = route.params.q || "";
  const form = el("form", { class: "filters", role: "search", "aria-label": "Actor search" },
    field("Name", input("q", q, { type: "search", placeholder: "Modi, Pentagon, NATO…", required: true })),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Search")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate("actors", Object.fromEntries(new FormData(form)));
  });
  if (!q) {
    mount(root, el("h1", {}, "Actors"), form);
    return;
  }
  const data = await api.actors(q);
  const actors = data.actors || [];
  mount(root, el("h1", {}, "Actors"), form,
    actors.length ? el("div", { class: "table-wrap" }, el("table", { class: "results" },
      el("thead", {}, el("tr", {}, el("th", {}, "Id"), ...SUMMARY_KEYS.slice(0, 4).map((k) => el("th", {}, k)))),
      el("tbody", {}, ...actors.map((actor) => el("tr", {},
        el("td", {}, el("a", { href: href(`actor/${encodeURIComponent(actorId(actor))}`) }, actorId(actor))),
        ...SUMMARY_KEYS.slice(0, 4).map((k) => el("td", {}, valueText(actor[k]))))))))
      : el("p", { class: "muted" }, `No actor matches “${q}”.`));
}

export async function renderActor(root, route) {
  const id = route.args[0];
  const actor = (await api.actor(id)).actor;
  const rows = Object.entries(actor).map(([key, value]) =>
    el("tr", {}, el("th", { scope: "row" }, key), el("td", {}, valueNode(value))));
  mount(root,
    el("p", { class: "crumbs" }, el("a", { href: "#/actors" }, "← Actors")),
    el("h1", {}, actor.name || id),
    el("p", { class: "links" },
      el("a", { href: href("events", { actor: id }) }, "Events with this actor"), " · ",
      el("a", { href: href("events", { recipient: id }) }, "Events with this recipient")),
    el("div", { class: "table-wrap" }, el("table", { class: "provenance" }, el("tbody", {}, ...rows))));
}
