"""Sentences the terminal shows around the engines: the questionnaire's questions, sections
and refusals, the prompts, the guided start, the import summary and the analysis page.

An `interview_question` record holds the words of one question, found by the case field
(or questionnaire slot) it fills. A `screen_texts` record holds one screen's sentences by
name; the names each screen needs and the `{fields}` each may use are checked at load
(`SCREENS`), so a missing or misspelt sentence stops the load, not a person's session.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from backstride.knowledge.model import KnowledgeBase, Record
from backstride.knowledge.served import note_served
from backstride.knowledge.templates import check_texts, fill

_NONE: frozenset[str] = frozenset()

#: Each screen's record id, the names of its sentences and the fields each may use.
SCREENS: dict[str, dict[str, frozenset[str]]] = {
    "text.interview": {
        "intro": _NONE, "optional": _NONE, "stop_emergency": _NONE, "not_saved": _NONE,
        "saved": frozenset({"path"}), "checklist_intro": _NONE, "checklist_prompt": _NONE,
        "checklist_refused": frozenset({"count"}), "hint_one": _NONE,
        "hint_one_optional": _NONE, "hint_many": _NONE, "whole_number_refused": _NONE,
        "number_refused": _NONE, "range_refused": frozenset({"low", "high"}),
        "pick_refused": _NONE, "section_safety": _NONE, "section_pain": _NONE,
        "section_health": _NONE, "section_history": _NONE, "section_running": _NONE,
        "section_rmdq_offer": _NONE,
    },
    "text.assess": {
        "warning_signs": frozenset({"signs"}), "referral": frozenset({"reason"}),
        "likely": frozenset({"patterns"}), "how_long": frozenset({"duration"}),
        "start_back": frozenset({"risk", "total", "psychosocial"}),
        "rmdq": frozenset({"score"}), "weak_flags": frozenset({"signs"}),
        "no_warning_signs": _NONE,
    },
    "text.prompts": {
        "whole_number_refused": frozenset({"low", "high"}),
        "date_refused": _NONE,
        "picks_refused": frozenset({"parts", "count"}),
    },
    "text.start": {
        "welcome": _NONE, "not_interactive": _NONE, "welcome_back": frozenset({"day"}),
        "kept_here": frozenset({"home"}), "follow_advice": _NONE, "make_plan": _NONE,
        "make_later": _NONE, "plan_saved": _NONE, "import_offer": _NONE, "path_prompt": _NONE,
        "no_such_path": frozenset({"path"}), "no_new_activities": _NONE, "retailored": _NONE,
        "new_since": _NONE, "numbers_prompt": _NONE, "numbers_refused": frozenset({"count"}),
        "saved_in_diary": _NONE, "next_steps": _NONE,
    },
    "text.diary": {
        "date_prompt": _NONE, "pain_now_prompt": _NONE, "pain_worst_prompt": _NONE,
        "pain_during_run_prompt": _NONE, "pain_next_morning_prompt": _NONE,
        "where_title": _NONE, "where_prompt": _NONE, "leg_prompt": _NONE,
        "new_signs_title": _NONE, "new_signs_prompt": _NONE, "note_prompt": _NONE,
        "saved": frozenset({"id", "at"}), "saved_linked": frozenset({"id", "at", "count"}),
        "why": frozenset({"text"}), "empty": _NONE, "line": frozenset({"at", "pain"}),
        "line_worst": frozenset({"value"}), "line_run": frozenset({"value"}),
        "line_morning": frozenset({"value"}), "line_new": frozenset({"signs"}),
        "deleted": frozenset({"id"}), "assessment_stored": frozenset({"urgency", "action"}),
    },
    "text.progress": {
        "why": frozenset({"text"}), "no_entries": _NONE, "days_logged": frozenset({"days"}),
        "start": frozenset({"pain", "baseline"}),
        "baseline_check": frozenset({"day"}), "baseline_first_week": frozenset({"day"}),
        "baseline_first_entry": frozenset({"day"}),
        "now": frozenset({"pain", "entries", "first", "last"}),
        "change": frozenset({"change", "meaning"}),
        "rmdq": frozenset({"first", "now"}), "trend": frozenset({"trend"}),
        "recovered_yes": frozenset({"rmdq_max"}), "recovered_not_yet": frozenset({"rmdq_max"}),
        "last_run": frozenset({"day", "advice", "reason"}),
        "hypothesis": frozenset({"text"}),
    },
    "text.import": {
        "failed": frozenset({"label", "detail"}),
        "duplicate": frozenset({"label", "what", "detail"}),
        "imported": frozenset({"label", "what"}),
        "note": frozenset({"detail"}),
        "counts": frozenset({"imported", "duplicates", "failed"}),
    },
    "text.analyze": {
        "no_runs": _NONE, "title": frozenset({"since", "today"}),
        "history": frozenset({"runs", "first", "last"}),
        "no_recent": frozenset({"since", "today", "last", "first"}),
        "not_associations": _NONE, "last_7_days": frozenset({"km"}),
        "acwr": frozenset({"today", "shown"}),
        "acwr_not_shown": frozenset({"chronic_days", "min_weeks", "of_weeks"}),
        "acwr_method": frozenset({"method", "note"}),
        "monotony": frozenset({"value", "high"}), "weeks_title": _NONE,
        "no_findings": _NONE, "findings_title": frozenset({"count"}),
        "runs": frozenset({"shown", "more"}), "more_runs": frozenset({"count"}),
        "sources": frozenset({"sources"}), "badge_attention": _NONE, "badge_consider": _NONE,
        "badge_info": _NONE, "column_week": _NONE, "column_km": _NONE,
        "column_longest": _NONE, "column_share": _NONE, "column_change": _NONE,
        "acwr_rolling": frozenset({"method", "value"}),
    },
    "text.purpose": {"intended": _NONE},
    "text.checkin": {"saved": _NONE},
    "text.chart": {"written": frozenset({"kind", "path"})},
    "text.report": {"written": frozenset({"path"})},
    "text.review": {"recorded": frozenset({"reviewer", "at"})},
    "text.shoes": {
        "added": frozenset({"name"}), "empty": _NONE, "title": frozenset({"km"}),
        "column_name": _NONE, "column_km": _NONE, "column_runs": _NONE, "column_status": _NONE,
        "status_retired": _NONE, "status_inspect": _NONE, "status_in_use": _NONE,
        "in_rotation": frozenset({"pairs"}), "assigned_one": frozenset({"name"}),
        "assigned_many": frozenset({"name", "count"}), "retired": frozenset({"name"}),
        "unretired": frozenset({"name"}),
    },
    "text.activity": {
        "empty": _NONE,
        "row": frozenset({"id", "start", "sport", "distance", "shoe", "surface"}),
        "tagged": frozenset({"id", "surface"}), "cleared": frozenset({"id"}),
        "tag_refused": _NONE,
    },
    "text.data": {
        "exported": frozenset({"format", "path"}), "restored": frozenset({"what", "files"}),
        "restored_rows": frozenset({"count", "what"}), "restored_nothing": _NONE,
        "forget_confirm": _NONE, "nothing_deleted": _NONE,
        "forgotten": frozenset({"records", "files"}),
    },
    "text.user": {
        "password_prompt": _NONE, "password_missing": _NONE, "invited": frozenset({"email"}),
        "added": frozenset({"email", "roles"}),
        "row": frozenset({"id", "email", "roles", "consent"}), "row_consent": _NONE,
        "roles": frozenset({"email", "roles"}), "password_changed": frozenset({"email"}),
        "consent_refused": frozenset({"answer"}),
        "consent": frozenset({"email", "answer"}), "delete_confirm": frozenset({"email"}),
        "deleted": frozenset({"email"}),
    },
    "text.cohort": {
        "source_refused": _NONE, "progress": _NONE,
        "counts": frozenset({"runners", "analysed", "unchanged", "failed", "activities"}),
        "failed": frozenset({"athlete", "where", "reason"}), "failed_file": frozenset({"file"}),
        "written": frozenset({"path"}),
    },
    "text.imports": {"progress": _NONE},
    "text.plan": {
        "format_refused": frozenset({"formats", "got"}), "findings_refused": _NONE,
        "pdf_refused": _NONE, "write_refused": frozenset({"path", "reason"}),
        "wrote": frozenset({"path"}), "title": _NONE,
        "header_start": frozenset({"start", "weeks", "urgency"}),
        "header_now": frozenset({"phase"}), "no_phase": _NONE,
        "header_cautions": frozenset({"cautions"}),
        "header_kb": frozenset({"version", "digest"}),
        "phase_title": frozenset({"number", "title", "start", "end"}),
        "phase_entry": frozenset({"criteria"}), "phase_exit": frozenset({"criteria"}),
        "made_for_you": _NONE, "treatments": _NONE, "sources": _NONE,
        "column_what": _NONE, "column_advice": _NONE, "schedule": _NONE, "this_week": _NONE,
        "column_day": _NONE, "column_phase": _NONE, "column_session": _NONE,
        "column_learn": _NONE, "how_to": _NONE, "caution": frozenset({"text"}),
        "reading": _NONE, "safety_net": _NONE,
    },
    "text.kb": {
        "dir_refused": frozenset({"path"}), "valid": frozenset({"version", "digest"}),
        "column_kind": _NONE, "column_records": _NONE,
        "seed_covered": frozenset({"covered", "total"}), "seed_uncovered": frozenset({"topics"}),
        "column_id": _NONE, "column_title": _NONE, "column_sources": _NONE,
        "listed": frozenset({"count", "what"}), "not_found": frozenset({"id"}),
        "column_field": _NONE, "column_value": _NONE, "row_kind": _NONE,
        "row_source": frozenset({"id"}), "source": frozenset({"authors", "year", "title"}),
        "column_topic": _NONE, "column_covers": _NONE, "missing": _NONE,
        "column_record": _NONE, "column_checked_by": _NONE, "column_named_by": _NONE,
        "none": _NONE, "trace_covered": frozenset({"evidence", "covered", "total"}),
        "evidence_log": _NONE, "evidence_static": _NONE,
        "trace_text_only": frozenset({"count", "ids"}), "trace_uncovered": frozenset({"ids"}),
        "trace_unknown": frozenset({"ids"}),
    },
    "text.app": {
        "not_available": frozenset({"command"}), "usage": frozenset({"message", "where"}),
        "aborted": _NONE, "interrupted": _NONE, "format_refused": frozenset({"got"}),
    },
}  # fmt: skip


class InterviewQuestion(Record):
    """The words of one question of the questionnaire (`key`: the field it fills)."""

    key: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)*$")
    text: str = Field(min_length=3)

    @model_validator(mode="after")
    def _id_names_the_key(self) -> InterviewQuestion:
        if self.id != f"question.{self.key}":
            raise ValueError(f"id: expected question.{self.key}")
        return self


class ScreenTexts(Record):
    """One screen's sentences by name, each a template naming only its allowed fields."""

    texts: dict[str, str]

    @model_validator(mode="after")
    def _every_text_given(self) -> ScreenTexts:
        names = SCREENS.get(self.id)
        if names is None:
            raise ValueError(f"id: expected one of {sorted(SCREENS)}")
        stray = set(self.texts) - set(names)
        if stray:
            raise ValueError(f"texts: unknown {sorted(stray)}")
        check_texts(self.texts, names, what="texts")
        return self


def question_text(kb: KnowledgeBase, key: str) -> str:
    """The words of the question that fills `key`."""
    return kb.one(InterviewQuestion, f"question.{key}").text


def screen_text(kb: KnowledgeBase, screen: str, name: str, /, **values: object) -> str:
    """One sentence of a screen (`text.<screen>`), its fields filled from `values`."""
    record = kb.one(ScreenTexts, f"text.{screen}")
    note_served(record.id)
    return fill(record.texts[name], values)


def intended_purpose(kb: KnowledgeBase) -> str:
    """What backstride is for and what it is not, as every shell and report states it."""
    return screen_text(kb, "purpose", "intended")


TEXT_KINDS: dict[str, type[BaseModel]] = {
    "interview_question": InterviewQuestion,
    "screen_texts": ScreenTexts,
}
