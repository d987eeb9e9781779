"""Dimension 1 («grado di raggiungimento») from the action counts, with both rules for partial actions."""

from decimal import Decimal

from planning.valutazione import rules


def card(full, partial, not_done, **other):
    return rules.Conteggi(realizzate=full, parziali=partial, non_realizzate=not_done, **other)


def test_card_2_gives_75_with_partial_actions_and_58_3_without():
    c = card(7, 2, 3)
    assert c.totale == 12
    assert rules.grado(c, parziali_come_realizzate=True) == Decimal("75.0")
    assert rules.grado(c, parziali_come_realizzate=False) == Decimal("58.3")


def test_card_1_printed_85_7_follows_the_other_rule():
    c = card(6, 1, 0)
    assert rules.grado(c, parziali_come_realizzate=False) == Decimal("85.7")
    assert rules.regole_coerenti(c, Decimal("85.7")) == [False]
    assert rules.regole_coerenti(card(7, 2, 3), Decimal("75")) == [True]
    assert rules.regole_coerenti(card(3, 0, 3), Decimal("50")) == [True, False]  # no partial: both rules agree


def test_suspended_interrupted_and_in_progress_actions_count_as_not_realised():
    c = rules.conteggi(["realizzata", "sospesa", "interrotta", "in_corso", "parzialmente_realizzata"])
    assert (c.realizzate, c.parziali, c.non_concluse, c.totale) == (1, 1, 3, 5)
    assert rules.grado(c, parziali_come_realizzate=True) == Decimal("40.0")


def test_no_actions_no_degree():
    assert rules.grado(rules.Conteggi(), parziali_come_realizzate=True) is None
    assert rules.regole_coerenti(rules.Conteggi(), Decimal("60")) == []


def test_percentages_are_printed_like_the_plan():
    assert rules.percentuale_compatta(Decimal("75.0")) == "75,0%"  # the portal's rule: one decimal
    assert rules.percentuale_compatta(Decimal("58.33")) == "58,3%"
    assert rules.percentuale_compatta(None) == "—"
