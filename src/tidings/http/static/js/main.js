// Hash router: "#/view/arg?key=value" picks a view module and hands it the parsed route.
// Routes live in the hash so every page (a search, an event, a dyad) is a shareable URL.

import { mount, errorBox } from "./dom.js";
import { parseRoute } from "./router.js";
import { renderEvents } from "./events.js";
import { renderEvent } from "./event.js";
import { renderDyad } from "./dyad.js";
import { renderMap } from "./map.js";
import { renderNetwork } from "./network.js";
import { renderActors, renderActor } from "./actors.js";
import { renderIngest } from "./ingest.js";
import { renderApiDocs } from "./apidocs.js";

const VIEWS = {
  events: renderEvents,
  event: renderEvent,
  dyad: renderDyad,
  map: renderMap,
  network: renderNetwork,
  actors: renderActors,
  actor: renderActor,
  ingest: renderIngest,
  api: renderApiDocs,
};
const NAV_OF = { event: "events", actor: "actors" };

let latest = 0;

/** Draw the route's view off-screen, then swap it in, unless a newer route came first:
 * a slow page never overwrites the one the user went on to. */
async function render() {
  const ticket = ++latest;
  const hash = location.hash;
  const route = parseRoute(hash);
  const view = VIEWS[route.view] ? route.view : "events";
  const current = NAV_OF[view] || view;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.view === current);
    if (link.dataset.view === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const root = document.getElementById("view");
  root.setAttribute("aria-busy", "true");
  const draft = document.createElement("div");
  try {
    await VIEWS[view](draft, route);
  } catch (error) {
    mount(draft, errorBox(error));
  }
  if (ticket !== latest) return;
  root.replaceChildren(...draft.childNodes);
  root.dataset.view = view;
  root.dataset.rendered = hash;  // the route the view now shows (tests wait on it)
  root.setAttribute("aria-busy", "false");
}

window.addEventListener("hashchange", render);
window.addEventListener("DOMContentLoaded", render);
