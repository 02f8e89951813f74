// How records read on screen: one place for labels, so every view names things alike.

import { el } from "./dom.js";
import { api } from "./api.js";

/** "Rajnath Singh (IND GOV)" from an entity of the record. */
export function entityLabel(entity) {
  const name = entity.name || entity.text || "?";
  const codes = [entity.country, entity.sector].filter(Boolean).join(" ");
  return codes ? `${name} (${codes})` : name;
}

export function entitiesLabel(entities) {
  return (entities || []).map(entityLabel).join("; ") || "—";
}

export function dateLabel(date) {
  if (!date) return "—";
  return date.precision && date.precision !== "day" ? `${date.value} (${date.precision})` : date.value;
}

export function placeLabel(location) {
  if (!location) return "—";
  return [location.name, location.country].filter(Boolean).join(", ");
}

export function quadLabel(quadClass) {
  return quadClass ? quadClass.replace("_", " ") : "—";
}

export function quadBadge(quadClass) {
  return el("span", { class: `badge quad-${quadClass || "none"}` }, quadLabel(quadClass));
}

export function scoreLabel(score) {
  return typeof score === "number" ? (score > 0 ? `+${score}` : String(score)) : "—";
}

let vocabulary = null;

/** The record's closed vocabularies (event types, statuses, ...), fetched once. */
export async function getVocabulary() {
  vocabulary = vocabulary || (await api.vocabulary());
  return vocabulary;
}

/** Countries of the first actor and first recipient, for a dyad link. */
export function dyadOf(record) {
  const a = (record.actor || []).find((e) => e.country);
  const b = (record.recipient || []).find((e) => e.country);
  return a && b ? [a.country, b.country] : null;
}
