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

async function render() {
  const route = parseRoute(location.hash);
  const view = VIEWS[route.view] ? route.view : "events";
  const current = NAV_OF[view] || view;
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.view === current);
    if (link.dataset.view === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const root = document.getElementById("view");
  root.dataset.view = view;
  root.setAttribute("aria-busy", "true");
  try {
    await VIEWS[view](root, route);
  } catch (error) {
    mount(root, errorBox(error));
  } finally {
    root.setAttribute("aria-busy", "false");
  }
}

window.addEventListener("hashchange", render);
window.addEventListener("DOMContentLoaded", render);
