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
        # the cohort use case's note and refusals (services/cohort.py)
        "note": _NONE, "needs_extra": _NONE, "no_consenting_account": _NONE,
        "worker_died": _NONE, "scheduler_unreachable": frozenset({"scheduler", "detail"}),
        "workers_refused": frozenset({"workers"}), "no_summary": frozenset({"folder", "summary"}),
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
        "made_for_you": _NONE, "treatments": _NONE, "sources": _NONE,
        "column_what": _NONE, "column_advice": _NONE, "schedule": _NONE, "this_week": _NONE,
        "column_day": _NONE, "column_phase": _NONE, "column_session": _NONE,
        "column_learn": _NONE, "how_to": _NONE,
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
    # The use cases' notes and refusals (services_texts.yaml) and the web's pages and form
    # messages (web_texts.yaml): one block, kept together.
    "text.analysis": {
        "load_unit": _NONE, "acwr_note": _NONE,
        "fitness_fatigue": frozenset({"convention", "fitness_days", "fatigue_days"}),
        "note": _NONE, "window_refused": frozenset({"start", "end"}),
        "chart_refused": frozenset({"kinds", "kind"}), "chart_out_refused": frozenset({"file"}),
        "no_runs": _NONE, "no_runs_in_window": frozenset({"since", "today", "first", "last"}),
        "no_such_shoe": frozenset({"shoe"}), "assign_needs_runs": _NONE,
        "no_such_activity": frozenset({"id"}), "no_such_shoe_id": frozenset({"id"}),
    },
    "text.accounts": {
        "password_short": frozenset({"least"}), "password_long": frozenset({"most"}),
        "password_repetitive": _NONE, "password_guessable": _NONE,
        "email_taken": frozenset({"address"}), "registration_closed": _NONE,
        "registration_invite": _NONE, "wrong_sign_in": _NONE, "throttled": _NONE,
        "wrong_password": _NONE, "token_name": frozenset({"most"}),
        "token_scopes": frozenset({"scopes"}), "no_account": frozenset({"address"}),
        "owner_stays": _NONE, "no_clinician": _NONE, "not_clinician": _NONE,
        "no_share": frozenset({"id"}),
    },
    "text.web_diary": {
        "intro": _NONE, "leg_question": _NONE, "new_signs_question": _NONE, "sign_stays": _NONE,
        "step_goal": frozenset({"checkin", "steps"}), "checkin_link": _NONE,
        "more_scores": _NONE, "ask_steps": _NONE,
        "field_on": _NONE, "field_pain_now": _NONE, "field_pain_worst": _NONE,
        "field_pain_during_run": _NONE, "field_pain_next_morning": _NONE, "field_stiffness": _NONE,
        "field_steps": _NONE, "field_other": _NONE, "new_signs_unanswered": _NONE,
        "not_a_date": frozenset({"raw"}), "in_future": _NONE,
        "too_early": frozenset({"earliest", "days"}),
        "score_refused": frozenset({"field", "high", "low", "raw"}),
        "check_entry": frozenset({"detail"}), "no_such_entry": _NONE, "chart_title": _NONE,
        "chart_line": frozenset({"days"}), "chart_unit": _NONE,
    },
    "text.web_progress": {
        "start": _NONE, "now": frozenset({"days"}), "change": _NONE,
        "change_scale": _NONE, "meaningful": _NONE, "recovered": _NONE,
        "recovered_yes": _NONE, "recovered_not_yet": _NONE,
        "hypothesis": frozenset({"days", "hypothesis"}), "no_escalation": _NONE,
    },
    "text.web_together": {
        "intro": frozenset({"days", "entries", "km", "runs"}), "chart_title": frozenset({"days"}),
        "pain_line": _NONE, "load_line": _NONE, "runs_line": _NONE, "runs_per_day": _NONE,
    },
    "text.web_escalation": {
        "on_hold": _NONE,
    },
    "text.web_home": {
        "rest_day": _NONE, "pain_question": _NONE, "new_signs_question": frozenset({"signs"}),
        "signs_link": _NONE, "no_plan": frozenset({"check"}), "check_link": _NONE,
    },
    "text.web_welcome": {
        "title": _NONE, "intro": _NONE, "time": _NONE,
    },
    "text.web_result": {
        "stopped_early": _NONE, "warning_signs": frozenset({"signs"}),
        "likely": frozenset({"pattern", "also"}), "also": frozenset({"patterns"}),
        "how_long": frozenset({"duration"}),
        "start_back": frozenset({"psychosocial", "risk", "total"}), "rmdq": frozenset({"score"}),
        "nothing_to_keep": _NONE,
    },
    "text.web_check": {
        "tick_or_none": _NONE, "list_legend": _NONE, "rmdq_legend": _NONE,
        "pick_from_list": frozenset({"question"}),
        "answer": frozenset({"question"}), "yes_or_no": frozenset({"question"}),
        "pick_one": frozenset({"question"}),
        "number_refused": frozenset({"kind", "question", "raw", "span"}), "whole_number": _NONE,
        "number": _NONE, "span": frozenset({"high", "low"}), "state_damaged": _NONE,
    },
    "text.web_checkin": {
        "intro": _NONE, "field_pain": _NONE, "field_function": _NONE, "field_sessions_done": _NONE,
        "field_runs_done": _NONE, "field_steps_per_day": _NONE, "ask_pain": _NONE,
        "ask_function": _NONE, "ask_sessions_done": _NONE, "ask_runs_done": _NONE,
        "ask_steps_per_day": _NONE, "ask_goal": _NONE, "plan_reminder": frozenset({"checkin"}),
        "checkin_link": _NONE,
        "number_missing": frozenset({"field", "high", "low"}),
        "number_refused": frozenset({"field", "high", "low", "raw"}),
        "goal_too_long": frozenset({"most"}), "not_a_date": frozenset({"raw"}), "in_future": _NONE,
        "too_early": frozenset({"earliest"}),
    },
    "text.web_shoes": {
        "intro": _NONE, "reminder": frozenset({"km", "pairs", "weeks"}), "retired": _NONE,
        "check_them": _NONE, "in_use": _NONE, "fine": _NONE, "field_name": _NONE,
        "field_brand": _NONE, "field_model": _NONE, "field_first_worn": _NONE,
        "field_since": _NONE, "field_until": _NONE, "too_long": frozenset({"field", "most"}),
        "no_name": _NONE, "name_taken": frozenset({"shoe"}),
        "start_km_refused": frozenset({"most", "raw"}), "not_a_date": frozenset({"field", "raw"}),
        "in_future": frozenset({"field"}), "too_early": frozenset({"earliest", "field"}),
        "days_swapped": _NONE, "no_such_shoes": _NONE, "no_such_run": _NONE, "choose_shoes": _NONE,
    },
    "text.web_training": {
        "findings_note": _NONE, "nothing_stands_out": frozenset({"weeks"}), "weekly_title": _NONE,
        "distance": _NONE, "km_per_week": _NONE, "daily_title": _NONE, "km_per_day": _NONE,
        "route_label": _NONE, "route_caption": _NONE, "run_title": _NONE, "pace": _NONE,
        "pace_unit": _NONE, "heart_rate": _NONE, "heart_rate_unit": _NONE, "cadence": _NONE,
        "cadence_unit": _NONE,
    },
    "text.web_import": {
        "intro": _NONE, "too_many_files": frozenset({"most"}), "field_too_long": _NONE,
        "file_too_large": frozenset({"file", "mb"}), "not_multipart": _NONE, "cut_off": _NONE,
        "no_files": _NONE,
    },
    "text.web_settings": {
        "new_password": frozenset({"least"}), "action_signed_in": _NONE,
        "action_password_changed": _NONE, "action_signed_out_everywhere": _NONE,
        "action_token_created": _NONE, "action_token_revoked": _NONE,
        "action_share_created": _NONE, "action_share_revoked": _NONE,
        "action_clinician_viewed": _NONE, "action_clinician_reviewed": _NONE,
        "action_exported": _NONE, "action_device_upload": _NONE, "action_device_write": _NONE,
        "action_other": _NONE,
    },
    "text.web_errors": {
        "unexpected": _NONE, "storage": _NONE, "no_page": _NONE, "wrong_method": _NONE,
        "no_plan": _NONE,
    },
    # The plan as a document (Markdown, HTML, PDF), the assessment's result on the terminal
    # and the note under a shortened source list (report_texts.yaml): one block, kept together.
    "text.plan_document": {
        "start": frozenset({"start", "weeks"}), "assessment_line": frozenset({"urgency"}),
        "kb_line": frozenset({"version", "digest"}), "from_line": frozenset({"start", "weeks"}),
        "kb_short": frozenset({"version", "digest"}), "first": _NONE, "assessment": _NONE,
        "start_back": frozenset({"total", "risk"}), "left_out": frozenset({"cautions"}),
        "phases": _NONE, "entry": _NONE, "exit": _NONE, "personal": _NONE,
        "week": frozenset({"number"}), "each_day": _NONE, "reading": _NONE, "how_to": _NONE,
        "first_dose": frozenset({"dose"}), "caution": _NONE, "treatments": _NONE,
        "column_option": _NONE, "column_status": _NONE, "column_in_short": _NONE,
        "prevention": _NONE, "staying_well": _NONE, "for_clinician": _NONE,
    },
    "text.plan_clinician": {
        "title": _NONE, "intro": frozenset({"start"}), "triage": _NONE, "action": _NONE,
        "red_flags": _NONE, "none_reported": _NONE, "referral_reasons": _NONE, "none": _NONE,
        "pattern": _NONE, "not_assessed": _NONE, "duration": _NONE, "unknown": _NONE,
        "start_back": _NONE, "start_back_score": frozenset({"total", "psychosocial", "risk"}),
        "not_completed": _NONE, "rmdq": _NONE, "rmdq_score": frozenset({"score"}),
        "plan_status": _NONE, "current_phase": _NONE, "no_phase": _NONE, "progress": _NONE,
        "excluded": _NONE, "kb": _NONE, "kb_value": frozenset({"version", "digest"}),
        "safety_net": _NONE, "why": _NONE, "sources": _NONE,
    },
    "text.plan_calendar": {
        "name": _NONE, "summary": frozenset({"title"}), "learn": frozenset({"title"}),
    },
    "text.assess_result": {
        "found": _NONE, "because": _NONE, "sources": _NONE,
        "kb": frozenset({"version", "digest"}),
    },
    "text.sources": {"more": frozenset({"count"})},
    # The clinician report's notes, filled from the limits the report applied.
    "text.clinician_report": {
        **dict.fromkeys((
            "title", "assessments_heading", "date", "urgency", "red_flags", "referral_reasons",
            "most_likely", "duration", "pain", "start_back", "rmdq", "no_assessment",
            "flags_heading", "no_new_flags", "progress_heading", "baseline_pain", "change",
            "meaningful_improvement", "trend", "recovered", "days_logged", "yes", "no",
            "rmdq_date", "rmdq_score", "chart_alt", "runs_heading", "pain_during",
            "next_morning", "advice", "why", "hypotheses_heading", "week_of", "distance_km",
            "runs", "longest_km", "plan_heading", "plan_phase", "no_plan", "sources_heading",
        ), _NONE),
        "prepared": frozenset({"day"}), "weak": frozenset({"flags"}),
        "new_flags": frozenset({"flags"}), "pain_now": frozenset({"days"}),
        "training_heading": frozenset({"weeks"}), "plan_made": frozenset({"day"}),
        "footer": frozenset({"version"}),
        "change_note": frozenset({"pain_points", "percent", "rmdq_points", "rmdq_max"}),
        "chart_note": frozenset({"weeks", "window_days"}),
    },
    # The charts' titles, axes, legends and refusals (report/charts.py, report/pain_chart.py).
    "text.charts": {
        "findings_strip": _NONE, "daily_distance": _NONE, "ewma": frozenset({"days"}),
        "distance_axis": _NONE, "load_title": frozenset({"since", "today"}),
        "acwr_band": frozenset({"low", "high"}), "acwr_line": _NONE, "acwr_axis": _NONE,
        "acwr_title": frozenset({"method", "days"}), "date": _NONE,
        "population_band": frozenset({"low", "high", "unit"}),
        "no_runs_with": frozenset({"what"}), "cadence_what": _NONE, "dynamics_what": _NONE,
        "speed_scale": _NONE, "baseline": frozenset({"value"}), "recent": frozenset({"value"}),
        "cadence_axis": _NONE, "cadence_date_axis": _NONE, "cadence_title": _NONE,
        "flagged": frozenset({"severity", "title"}), "vertical_oscillation_mm": _NONE,
        "vertical_ratio_pct": _NONE, "stance_time_ms": _NONE, "step_length_m": _NONE,
        "no_device_data": _NONE, "form_title": _NONE, "form_title_flagged": frozenset({"finding"}),
        "no_shoes": _NONE, "retired": frozenset({"name"}), "inspect_at": frozenset({"km"}),
        "shoe_axis": _NONE, "shoes_title": frozenset({"pairs", "weeks"}),
        "pain_chart_distance": _NONE, "pain_chart_day": _NONE,
        "pain_chart_mean": frozenset({"days"}), "pain_chart_axis": _NONE,
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
