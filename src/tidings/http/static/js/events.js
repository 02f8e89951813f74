// Event search: a filter form whose state lives in the URL, and a results table that
// pages with the API's cursor ("Load more") so large stores stay responsive.

import { el, mount, field, select, input, errorBox } from "./dom.js";
import { api } from "./api.js";
import { navigate, href } from "./router.js";
import { entitiesLabel, dateLabel, quadBadge, scoreLabel, getVocabulary } from "./format.js";

export const FILTERS = ["actor", "recipient", "country", "type", "quad_class", "status",
  "certainty", "from", "to", "text", "order", "article"];
const PAGE_SIZE = 50;

/** The filter form; on submit it navigates to `view` with the chosen filters. */
export async function filterForm(view, params) {
  const vocab = await getVocabulary();
  const form = el("form", { class: "filters", role: "search", "aria-label": "Event filters" },
    field("Actor", input("actor", params.actor, { placeholder: "IND, kb id or name" })),
    field("Recipient", input("recipient", params.recipient, { placeholder: "USA" })),
    field("Either side", input("country", params.country, { placeholder: "country code" })),
    field("Type", select("type", ["", ...vocab.event_types], params.type)),
    field("Quad class", select("quad_class", ["", ...vocab.quad_classes], params.quad_class)),
    field("Status", select("status", ["", ...vocab.statuses], params.status)),
    field("Certainty", select("certainty", ["", ...vocab.certainties], params.certainty)),
    field("From", input("from", params.from, { type: "date" })),
    field("To", input("to", params.to, { type: "date" })),
    field("Text", input("text", params.text, { type: "search", placeholder: "words in the evidence" })),
    field("Order", select("order", [["newest", "newest first"], ["oldest", "oldest first"]],
      params.order || "newest")),
    el("div", { class: "actions" },
      el("button", { type: "submit" }, "Search"),
      el("button", { type: "reset", class: "secondary" }, "Clear")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    navigate(view, data);
  });
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    navigate(view, {});
  });
  return form;
}

export function filtersOf(params) {
  return Object.fromEntries(FILTERS.filter((k) => params[k]).map((k) => [k, params[k]]));
}

function eventRow(record) {
  const link = el("a", { href: href(`event/${encodeURIComponent(record.event_id)}`) },
    record.event_type + (record.mode ? ` · ${record.mode}` : ""));
  return el("tr", { dataset: { eventId: record.event_id, eventType: record.event_type } },
    el("td", { "data-label": "Date" }, dateLabel(record.date)),
    el("td", { "data-label": "Event" }, link),
    el("td", { "data-label": "Actor" }, entitiesLabel(record.actor)),
    el("td", { "data-label": "Recipient" }, entitiesLabel(record.recipient)),
    el("td", { "data-label": "Status" }, record.status || "—"),
    el("td", { "data-label": "Certainty" }, record.attribution?.certainty || "—"),
    el("td", { "data-label": "Class" }, quadBadge(record.quad_class)),
    el("td", { "data-label": "Score", class: "num" }, scoreLabel(record.score)),
    el("td", { "data-label": "Evidence", class: "evidence-cell" }, record.evidence?.sentence || ""));
}

export async function renderEvents(root, route) {
  const filters = filtersOf(route.params);
  const tbody = el("tbody");
  const status = el("p", { class: "muted", id: "result-status" }, "Searching…");
  const more = el("button", { type: "button", class: "secondary", hidden: true }, "Load more");
  const table = el("div", { class: "table-wrap" },
    el("table", { class: "results", id: "event-results" },
      el("thead", {}, el("tr", {},
        ...["Date", "Event", "Actor", "Recipient", "Status", "Certainty", "Class", "Score",
          "Evidence"].map((h) => el("th", { scope: "col" }, h)))),
      tbody));
  mount(root,
    el("h1", {}, "Events"),
    await filterForm("events", route.params),
    el("p", { class: "links" },
      el("a", { href: href("map", filters) }, "Show these events on the map")),
    status, table, more);

  let shown = 0;
  async function load(cursor) {
    more.hidden = true;
    try {
      const page = await api.events({ order: "newest", ...filters, limit: PAGE_SIZE, cursor });
      tbody.append(...page.events.map(eventRow));
      shown += page.events.length;
      status.textContent = shown
        ? `${shown} event${shown === 1 ? "" : "s"}${page.next_cursor ? " so far" : ""}`
        : "No event matches these filters.";
      if (page.next_cursor) {
        more.hidden = false;
        more.onclick = () => load(page.next_cursor);
      }
    } catch (error) {
      status.replaceWith(errorBox(error));
    }
  }
  await load(undefined);
}
