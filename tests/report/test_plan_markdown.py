"""The Markdown plan: every section, cited items and exercise steps."""

from __future__ import annotations

from backstride.report.markdown import plan_markdown
from backstride.report.plan_view import source_line
from tests.plan.report_plans import KB, plan_for


def test_markdown_has_phases_schedule_exercises_treatments_and_sources() -> None:
    plan = plan_for("self_care_runner")
    text = plan_markdown(plan, KB)
    for block in plan.phases:
        assert f"## {block.title} (" in text
    assert text.count("| ") > len(plan.days)
    assert "## How to do the exercises" in text
    assert f"1. {plan.days[0].exercises[0].steps[0]}" in text
    assert "(Not recommended)" in text
    assert source_line(KB.sources["acp-2017"], KB) in text  # the first cited, as a citation
    assert plan.kb_digest[:12] in text


def test_interim_markdown_puts_the_referral_first() -> None:
    plan = plan_for("soon_sciatica")
    text = plan_markdown(plan, KB)
    first_section = text.split("## First")[1].split("##")[0]
    assert "Book a review" in first_section
    assert "Return to running (" not in text


def test_emergency_markdown_has_only_the_action_and_what_to_tell_the_clinician() -> None:
    plan = plan_for("emergency_cauda_equina")
    text = plan_markdown(plan, KB)
    assert plan.assessment.action in text
    assert "What to tell the clinician" in text
    assert "## Day by day" not in text
    assert "## How to do the exercises" not in text


def test_markdown_offers_each_exercises_easier_harder_or_swap_with_its_steps() -> None:
    plan = plan_for("self_care_runner")
    text = plan_markdown(plan, KB)
    offered = [a for d in plan.days for p in d.exercises for a in p.alternatives]
    assert offered
    for alternative in offered:
        assert f"{alternative.label}: **{alternative.name}**" in text
        assert f"   1. {alternative.steps[0]}" in text
