"""The guides' languages: ``LANGS``, ``Model.default(lang=)``, ``Model.localized``,
``Score.explain(lang=)``, ``text`` and ``message``. Every text comes from the Rust catalogues;
the tests check that Python reaches them and that only human text changes."""

from __future__ import annotations

import pytest

import advocacy

RECORD = {"id": "acme", "nps": 10, "health_score": 92, "roi_achieved": True, "csm_rapport": 5,
          "engaged_contacts": 4, "meeting_engagement": 5, "past_advocacy": 2, "proactive_feedback": 1,
          "communication_comfort": 5, "brand_strength": 4, "industry": "fintech"}


def test_langs() -> None:
    assert advocacy.LANGS == ("en", "id", "ms", "de", "es")


@pytest.mark.parametrize("lang", advocacy.LANGS)
def test_a_localized_model_scores_the_same(lang: str) -> None:
    base = advocacy.Model.default().with_targets(industries=["fintech"])
    m = base.localized(lang)
    a, b = base.score(RECORD), m.score(RECORD)
    assert (a.total, a.tier, a.completeness) == (b.total, b.tier, b.completeness)
    assert [c["points"] for c in a.categories] == [c["points"] for c in b.categories]
    assert [c["id"] for c in a.criteria] == [c["id"] for c in b.criteria]
    d = advocacy.Model.default(lang=lang).to_dict()
    assert d["categories"][0]["label"] == advocacy.text("model.category.satisfaction", lang=lang)


def test_default_texts_change_and_own_ones_stay() -> None:
    de = advocacy.Model.default(lang="de-DE")
    assert de.to_dict()["categories"][1]["label"] == "Beziehungsqualität"
    assert de.score(RECORD).outreach["invited_by"].startswith("persönliche Einladung")
    own = advocacy.Model.default().to_dict()
    own["categories"][0]["label"] = "Happy customers"
    m = advocacy.Model.from_json(__import__("json").dumps(own)).localized("es")
    assert m.to_dict()["categories"][0]["label"] == "Happy customers"
    assert m.to_dict()["categories"][1]["label"] == "Calidad de relación"
    # English is the model as it was.
    assert advocacy.Model.default(lang="en") == advocacy.Model.default()


def test_explain_text_is_the_cli_text() -> None:
    s = advocacy.Model.default(lang="es").score(RECORD)
    text = s.explain(lang="es", name="Acme")
    assert text.startswith("acme  Acme\npuntuación 85 / 100   tier platinum   completitud 95%")
    assert "Satisfacción y éxito" in text and "outreach: advocate de alto valor" in text
    en = advocacy.Model.default().score(RECORD).explain()
    assert "score 85 / 100   tier platinum" in en and "could reach: 85 to 85 (platinum)" in en


def test_text_and_message() -> None:
    assert advocacy.text("tier.gold", lang="de") == "Gold"
    assert advocacy.text("no.such.key", lang="de") == "no.such.key"
    msg = advocacy.message("message.recruitment", lang="de", name="Dana", company="Acme",
                           timeframe="18 Monaten")
    assert msg.startswith("Hallo Dana,\n\nich arbeite seit 18 Monaten mit Acme zusammen")
    assert "{outcome}" in msg  # not given: left as it is
    assert advocacy.message("message.thank_you", name="Dana").startswith("Hi Dana,")


def test_unknown_language_names_the_allowed_ones() -> None:
    for call in (lambda: advocacy.Model.default(lang="pt"),
                 lambda: advocacy.text("tier.gold", lang="xx"),
                 lambda: advocacy.Model.default().score(RECORD).explain(lang="fr")):
        with pytest.raises(advocacy.UsageError) as info:
            call()
        assert "allowed: en, id, ms, de, es" in str(info.value)
