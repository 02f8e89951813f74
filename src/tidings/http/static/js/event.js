// One event, and why it was coded: the article text with the evidence sentence, trigger,
// actors, recipients, date and place marked, and what set each field of the record.

import { el, mount } from "./dom.js";
import { api } from "./api.js";
import { href } from "./router.js";
import {
  entityLabel, dateLabel, placeLabel, quadBadge, scoreLabel, dyadOf,
} from "./format.js";

// Highlight kinds in drawing order; the legend shows them in this order too.
const MARKS = [
  ["sentence", "evidence sentence"],
  ["trigger", "trigger"],
  ["actor", "actor"],
  ["recipient", "recipient"],
  ["date", "date"],
  ["place", "place"],
];

/** Offsets of `needle` in `text`, preferring a match inside [from, to). */
function locate(text, needle, from, to) {
  if (!needle) return null;
  const inside = text.slice(from, to).indexOf(needle);
  if (inside >= 0) return [from + inside, from + inside + needle.length];
  const anywhere = text.indexOf(needle);
  return anywhere >= 0 ? [anywhere, anywhere + needle.length] : null;
}

/** The spans to mark in the article text, each [start, end, kind]. */
export function markSpans(record, text) {
  const ev = record.evidence || {};
  const spans = [];
  const add = (start, end, kind) => {
    if (Number.isInteger(start) && Number.isInteger(end) && start < end && end <= text.length) {
      spans.push([start, end, kind]);
    }
  };
  add(ev.start, ev.end, "sentence");
  add(ev.trigger_start, ev.trigger_end, "trigger");
  for (const entity of record.actor || []) add(entity.start, entity.end, "actor");
  for (const entity of record.recipient || []) add(entity.start, entity.end, "recipient");
  const dateAt = locate(text, record.date?.text, ev.start ?? 0, ev.end ?? text.length);
  if (dateAt) add(dateAt[0], dateAt[1], "date");
  const placeAt = locate(text, record.location?.text, ev.start ?? 0, ev.end ?? text.length);
  if (placeAt) add(placeAt[0], placeAt[1], "place");
  return spans;
}

/** The article as text nodes and <mark>s: each stretch carries every kind covering it. */
export function highlightedText(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const [start, end] of spans) { cuts.add(start); cuts.add(end); }
  const points = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    const piece = text.slice(start, end);
    const kinds = MARKS.map(([kind]) => kind)
      .filter((kind) => spans.some(([s, e, k]) => k === kind && s <= start && end <= e));
    if (!kinds.length) {
      nodes.push(piece);
    } else {
      nodes.push(el("mark", {
        class: kinds.map((k) => `hl-${k}`).join(" "),
        title: kinds.join(", "),
        dataset: { kinds: kinds.join(" ") },
      }, piece));
    }
  }
  return nodes;
}

/** "name, kb_id, country: kb:x@day; sector: kb:office:y" — fields set by one rule share a line. */
function provenanceOf(record, prefix) {
  const byRule = new Map();
  for (const [key, value] of Object.entries(record.provenance || {})) {
    if (key !== prefix && !key.startsWith(`${prefix}.`)) continue;
    const fields = byRule.get(value) || [];
    fields.push(key.slice(prefix.length + 1) || key);
    byRule.set(value, fields);
  }
  return [...byRule].map(([rule, fields]) => `${fields.join(", ")}: ${rule}`).join("; ");
}

function entityValue(entity) {
  return [entityLabel(entity), entity.office, entity.kb_id && `kb ${entity.kb_id}`,
    entity.wikidata, `“${entity.text}”`].filter(Boolean).join(" · ");
}

function fieldRows(record) {
  const prov = record.provenance || {};
  const rows = [
    ["event_type", record.event_type, prov.event_type],
    ["mode", record.mode || "—", prov.mode],
    ["contexts", (record.contexts || []).join(", ") || "—", prov.contexts],
    ["status", record.status, prov.status],
  ];
  for (const role of ["actor", "recipient"]) {
    (record[role] || []).forEach((entity, i) => {
      rows.push([`${role}[${i}]`, entityValue(entity), provenanceOf(record, `${role}[${i}]`)]);
    });
  }
  const date = record.date;
  rows.push(["date", date ? `${dateLabel(date)}${date.text ? ` from “${date.text}”` : ""} · basis ${date.basis}` : "—", prov.date]);
  const loc = record.location;
  rows.push(["location", loc ? `${placeLabel(loc)} · ${loc.precision}${loc.lat != null ? ` · ${loc.lat}, ${loc.lon}` : ""}` : "—", prov.location]);
  const att = record.attribution || {};
  rows.push(["attribution", [att.certainty, att.source && `source ${att.source}`, att.cue && `cue “${att.cue}”`].filter(Boolean).join(" · "), prov.attribution]);
  rows.push(["quad_class", record.quad_class || "—", prov.quad_class]);
  rows.push(["score", scoreLabel(record.score), prov.score]);
  rows.push(["cameo", record.cameo || "—", prov.cameo]);
  rows.push(["confidence", String(record.confidence ?? "—"), prov.confidence]);
  return rows;
}

function mentionItem(mention, currentId) {
  const sentence = mention.evidence?.sentence || "";
  const bits = [mention.article_date, mention.outlet, mention.status,
    mention.attribution?.certainty, mention.attribution?.source && `per ${mention.attribution.source}`]
    .filter(Boolean);
  const here = mention.event_id === currentId;
  const link = here ? el("strong", {}, "this mention")
    : el("a", { href: href(`event/${encodeURIComponent(mention.event_id)}`) }, mention.event_id);
  return el("li", { class: here ? "current" : null }, link, " ",
    el("span", { class: "muted" }, bits.join(" · ")),
    sentence ? el("blockquote", {}, sentence) : null,
    mention.why ? el("p", { class: "why" }, `Why merged: ${mention.why}`) : null);
}

function mergedSummary(merged) {
  if (!merged) {
    return el("p", { class: "muted" }, "Not merged across articles yet (run `tidings merge`, " +
      "or open a dyad or network page, which merges first).");
  }
  const counts = [["mentions", merged.num_mentions], ["sources", merged.num_sources],
    ["articles", merged.num_articles]].filter(([, n]) => n !== undefined);
  return el("p", {}, `Real event ${merged.merged_id}: `,
    counts.map(([label, n]) => `${n} ${label}`).join(", "),
    merged.status ? ` · combined status ${merged.status}` : "",
    merged.combined_certainty?.certainty
      ? ` · combined certainty ${merged.combined_certainty.certainty}` : "");
}

export async function renderEvent(root, route) {
  const id = route.args[0];
  const data = await api.event(id);
  const record = data.event;
  const article = data.article || {};
  const text = article.text || record.evidence?.sentence || "";
  // Without the article, offsets are relative to the evidence sentence.
  const shift = article.text ? 0 : (record.evidence?.start || 0);
  const shifted = shift ? JSON.parse(JSON.stringify(record, (key, value) =>
    (["start", "end", "trigger_start", "trigger_end"].includes(key) && typeof value === "number")
      ? value - shift : value)) : record;
  const spans = markSpans(shifted, text);
  const dyad = dyadOf(record);

  mount(root,
    el("p", { class: "crumbs" }, el("a", { href: "#/events" }, "← Events")),
    el("h1", {}, `${record.event_type}${record.mode ? ` · ${record.mode}` : ""} `,
      quadBadge(record.quad_class), " ",
      el("span", { class: "score" }, scoreLabel(record.score))),
    el("p", { class: "lede" },
      `${(record.actor || []).map(entityLabel).join("; ") || "?"} → `,
      `${(record.recipient || []).map(entityLabel).join("; ") || "no recipient"}`,
      ` · ${dateLabel(record.date)} · ${record.status}`,
      dyad ? el("span", {}, " · ", el("a", { href: href(`dyad/${dyad[0]}/${dyad[1]}`) },
        `${dyad[0]}–${dyad[1]} over time`)) : null),
    el("div", { class: "event-layout" },
      el("section", { class: "article", "aria-label": "Article text" },
        el("h2", {}, article.title || "Article"),
        el("p", { class: "muted" }, [article.date, article.source, article.id && `id ${article.id.slice(0, 16)}`]
          .filter(Boolean).join(" · ")),
        article.url ? el("p", {}, el("span", { class: "muted" }, "url: "), el("code", {}, article.url)) : null,
        el("ul", { class: "legend", "aria-label": "Highlight legend" },
          ...MARKS.map(([kind, label]) => el("li", {}, el("mark", { class: `hl-${kind}` }, label)))),
        el("div", { class: "article-text", id: "article-text" }, ...highlightedText(text, spans))),
      el("section", { class: "fields", "aria-label": "Record fields" },
        el("h2", {}, "Record and provenance"),
        el("div", { class: "table-wrap" }, el("table", { class: "provenance" },
          el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Field"),
            el("th", { scope: "col" }, "Value"), el("th", { scope: "col" }, "Set by"))),
          el("tbody", {}, ...fieldRows(record).map(([name, value, setBy]) =>
            el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, value),
              el("td", { class: "prov" }, setBy || "—")))))),
        el("h2", {}, "Mentions across articles"),
        mergedSummary(data.merged),
        (data.mentions || []).length
          ? el("ul", { class: "mentions", id: "mentions" },
            ...data.mentions.map((m) => mentionItem(m, record.event_id)))
          : null,
        el("details", {}, el("summary", {}, "Record as JSON"),
          el("pre", {}, JSON.stringify(record, null, 2))))));
}
