"""Request and response bodies of the JSON API (so /api/v1/openapi.json documents them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.diary import SCORE_RANGE, STEPS_RANGE

#: A record id in a path: a positive whole number the database can hold.
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Email = str  # checked by the accounts service (one plain message when it is not an address)


class Strict(BaseModel):
    """Unknown fields are refused (422), so a typo never silently does nothing."""

    model_config = ConfigDict(extra="forbid")


class RegisterIn(Strict):
    email: Email = Field(max_length=320)
    password: str = Field(max_length=1024)
    name: str | None = Field(default=None, max_length=200)


class LoginIn(Strict):
    email: Email = Field(max_length=320)
    password: str = Field(max_length=1024)


class AccountOut(BaseModel):
    id: int
    email: str


class LoginOut(AccountOut):
    csrf_token: str


class MeOut(BaseModel):
    id: int
    email: str
    name: str | None
    roles: list[str]
    research_consent: bool


class MePatch(Strict):
    research_consent: bool | None = None


class PasswordIn(Strict):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class DeleteMeIn(Strict):
    password: str = Field(max_length=1024)


class TokenIn(Strict):
    name: str = Field(max_length=200)
    scopes: list[str] = Field(max_length=20)


class TokenCreated(BaseModel):
    id: int
    token: str


class TokenOut(BaseModel):
    id: int
    name: str
    scopes: list[str]
    created_at: str
    last_used_at: str | None


class TokenList(BaseModel):
    tokens: list[TokenOut]


class CountOut(BaseModel):
    ended: int


class IdOut(BaseModel):
    id: int


class JobCreated(BaseModel):
    job: str


class JobResult(BaseModel):
    file: str
    outcome: str
    activity_id: int | None = None
    reason: str | None = None


class JobOut(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    done: int
    total: int
    results: list[JobResult]


class DiaryPatch(Strict):
    date: dt.date | None = None
    pain: int | None = Field(default=None, ge=SCORE_RANGE[0], le=SCORE_RANGE[1])
    worst: int | None = Field(default=None, ge=SCORE_RANGE[0], le=SCORE_RANGE[1])
    during: int | None = Field(default=None, ge=SCORE_RANGE[0], le=SCORE_RANGE[1])
    morning: int | None = Field(default=None, ge=SCORE_RANGE[0], le=SCORE_RANGE[1])
    stiffness: int | None = Field(default=None, ge=SCORE_RANGE[0], le=SCORE_RANGE[1])
    locations: list[str] | None = Field(default=None, max_length=20)
    leg_symptoms: bool | None = None
    red_flags: list[str] | None = Field(default=None, max_length=40)
    exercises: list[str] | None = Field(default=None, max_length=60)
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    note: str | None = Field(default=None, max_length=4000)
    steps: int | None = Field(default=None, ge=STEPS_RANGE[0], le=STEPS_RANGE[1])


class DiaryIn(DiaryPatch):
    """A new entry: the patch's fields with date and pain required, and RMDQ statements."""

    date: dt.date
    pain: int = Field(ge=0, le=10)
    rmdq_items: list[int] | None = Field(default=None, max_length=24)


class DiaryEntryOut(BaseModel):
    id: int
    date: str
    at: str
    pain: int
    worst: int | None
    during: int | None
    morning: int | None
    stiffness: int | None
    locations: list[str]
    leg_symptoms: bool
    red_flags: list[str]
    exercises: list[str]
    sleep_hours: float | None
    note: str | None
    steps: int | None = None
    escalation: dict[str, Any] | None = None


class DiaryList(BaseModel):
    entries: list[DiaryEntryOut]


class ActivityOut(BaseModel):
    id: int
    sport: str
    start_time: str
    duration_s: float
    distance_m: float | None
    avg_hr_bpm: float | None
    avg_cadence_spm: float | None
    device: str | None
    name: str | None
    surface: str | None


class ActivityList(BaseModel):
    activities: list[ActivityOut]


class ShareIn(Strict):
    clinician_email: Email = Field(max_length=320)


class ShareOut(BaseModel):
    id: int
    clinician_email: str
    created_at: str


class ShareList(BaseModel):
    shares: list[ShareOut]


class RunnerOut(BaseModel):
    id: int
    email: str
    name: str | None
    shared_since: str


class RunnerList(BaseModel):
    runners: list[RunnerOut]


class ReviewIn(Strict):
    note: str = Field(max_length=5000)


class AuditEvent(BaseModel):
    at: str
    actor: str
    action: str


class AuditOut(BaseModel):
    events: list[AuditEvent]


class HealthOut(BaseModel):
    status: str
    version: str
    knowledge_base: str


class Document(BaseModel):
    """A JSON document whose fields are described in the project's contracts."""

    model_config = ConfigDict(extra="allow")


class CaseIn(BaseModel):
    """A case file (see docs/assessment-contract.md); checked by the assessment service."""

    model_config = ConfigDict(extra="allow")
