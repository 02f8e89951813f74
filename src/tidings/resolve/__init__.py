"""The `resolve` component: the identity of every actor, recipient and quote speaker, by date.

It runs after extraction. The roles component gives each entity its span; this component
fills `name, kb_id, wikidata, country, sector, office` and `Entity.provenance`, and lists the
article's named mentions in `doc.mentions`. It needs no parse: it scans the whole article
text, so names in sentences that were never parsed still anchor coreference.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from tidings.document import TidingsDoc
from tidings.model import Entity
from tidings.registry import component
from tidings.resolve.kb import KnowledgeBase, load_kb
from tidings.resolve.resolver import ArticleContext, Identity, Resolver, ResolveRules, load_resolve_rules

__all__ = ["ResolveComponent", "explain", "make_resolve"]


class ResolveComponent:
    def __init__(self, kb: KnowledgeBase, rules: ResolveRules | None = None):
        self.resolver = Resolver(kb, rules)

    def __call__(self, doc: TidingsDoc) -> None:
        ctx = ArticleContext(self.resolver, doc.text, doc.article.date, doc.places)
        doc.mentions = self._mentions(ctx)
        entities: list[tuple[Entity, list[Entity]]] = []
        for event in doc.events:
            # a reciprocal meeting has no recipient: each participant's partners are the other actors
            entities += [(e, event.recipient or [o for o in event.actor if o is not e]) for e in event.actor]
            entities += [(e, event.actor) for e in event.recipient]
        entities += [(q.speaker, []) for q in doc.quotes if q.speaker is not None]
        entities.sort(key=lambda pair: pair[0].start)
        resolved: dict[int, Identity] = {}
        for entity, _ in entities:  # in text order, so pronouns see the people before them
            ident = self.resolver.resolve(entity.start, entity.end, ctx)
            resolved[id(entity)] = ident
            ctx.add_person(entity.start, entity.end, ident)
        # "his American counterpart" needs the other participant, resolved above.
        for entity, partners in entities:
            if self._needs_partner(entity, ctx):
                partner_idents = [resolved[id(p)] for p in partners if id(p) in resolved]
                resolved[id(entity)] = self.resolver.resolve(entity.start, entity.end, ctx, partner_idents)
        for entity, _ in entities:
            resolved[id(entity)].apply(entity)

    def _needs_partner(self, entity: Entity, ctx: ArticleContext) -> bool:
        return any("counterpart" in h.kinds() for h in ctx.hits_in(entity.start, entity.end))

    def _mentions(self, ctx: ArticleContext) -> list[Entity]:
        """People (with their identity on the date), organisations and countries named in the article."""
        out = []
        for mention in ctx.persons:
            entity = Entity(ctx.text[mention.start:mention.end], mention.start, mention.end)
            mention.identity.apply(entity)
            out.append(entity)
        person_starts = {m.start for m in ctx.persons}
        for hit in ctx.hits:
            if hit.start in person_starts:
                continue
            kinds = hit.kinds()
            if kinds & {"org", "country", "metonym"}:
                entity = Entity(hit.text, hit.start, hit.end)
                self.resolver.resolve(hit.start, hit.end, ctx).apply(entity)
                out.append(entity)
        return sorted(out, key=lambda e: e.start)


@component("resolve")
def make_resolve(config: dict[str, Any]) -> ResolveComponent:
    """Config: `extra_files` — user KB overlay files read after the shipped ones; `rules_file` — a
    resolver rules file in place of the shipped data/resolve.yaml."""
    return ResolveComponent(load_kb(tuple(config.get("extra_files") or ())),
                            load_resolve_rules(config.get("rules_file")))


def explain(text: str, day: dt.date, span: tuple[int, int] | None = None,
            extra_files: tuple[str, ...] = ()) -> list[Entity]:
    """Resolve a span of a text (default: every mention in it), for `tidings actors resolve`."""
    comp = ResolveComponent(load_kb(extra_files))
    ctx = ArticleContext(comp.resolver, text, day)
    if span is None:
        return comp._mentions(ctx) or [_whole(comp, ctx, text)]
    entity = Entity(text[span[0]:span[1]], span[0], span[1])
    comp.resolver.resolve(span[0], span[1], ctx).apply(entity)
    return [entity]


def _whole(comp: ResolveComponent, ctx: ArticleContext, text: str) -> Entity:
    entity = Entity(text, 0, len(text))
    comp.resolver.resolve(0, len(text), ctx).apply(entity)
    return entity
