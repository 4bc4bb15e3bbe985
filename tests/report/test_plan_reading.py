"""Education reaches the plan as whole texts, not only titles, in every plan format."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from backstride.knowledge.content import EducationTopic
from backstride.report.html import plan_html
from backstride.report.markdown import plan_markdown
from backstride.report.pdf import plan_pdf
from tests.plan.report_plans import KB, plan_for


def _first_topic() -> EducationTopic:
    plan = plan_for("self_care_runner")
    first = plan.days[0].education_id
    assert first is not None
    return KB.one(EducationTopic, first)


def test_the_plan_carries_every_scheduled_topic_once_with_its_body() -> None:
    plan = plan_for("self_care_runner")
    scheduled = list(dict.fromkeys(d.education_id for d in plan.days if d.education_id))
    assert [i.records[0] for i in plan.education] == scheduled
    for item in plan.education:
        topic = KB.one(EducationTopic, item.records[0])
        assert all(para in item.text for para in topic.body)
        assert set(item.sources) <= set(KB.sources)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_each_format_prints_the_body_of_the_topics_not_only_the_title(fmt: str) -> None:
    plan = plan_for("self_care_runner")
    if fmt == "md":
        text = plan_markdown(plan, KB)
    elif fmt == "html":
        text = plan_html(plan, KB)
    else:
        reader = PdfReader(io.BytesIO(plan_pdf(plan, KB)))
        text = " ".join(page.extract_text() for page in reader.pages)
    words = " ".join(text.split())
    body = " ".join(_first_topic().body[0].split())
    if fmt == "pdf":  # pdf text extraction may break words at line ends
        words, body = re.sub(r"\W", "", words), re.sub(r"\W", "", body)
    assert body in words
