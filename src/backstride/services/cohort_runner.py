"""One runner of a cohort, analysed in memory by the same functions as the single-user path.

`backstride import` parses each file, drops duplicates, stores a row and a samples file;
`backstride analyze` reads the rows back and runs the analytics. Here the same reader,
the same duplicate rules, the same row values (`storage.activities`), the same samples
encoding (packed and unpacked, so form metrics see stored precision) and the same
analytics, findings and diary associations run without a database, so a runner's numbers
are identical whichever path computes them. The reporting window is the runner's whole
history: first to last activity day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from backstride.analytics.analysis import analyze_training, form_window_start
from backstride.analytics.equipment import Shoe
from backstride.analytics.findings import findings_from
from backstride.analytics.form import RunForm, run_form
from backstride.analytics.history import surface_of
from backstride.analytics.rules import FindingRules
from backstride.domain.activity import Activity, Samples
from backstride.errors import BackstrideError, IngestError
from backstride.ingest.archive import Limits
from backstride.ingest.detect import parse_activity, unwrap
from backstride.ingest.sources import Source, expand, load_source
from backstride.ingest.sport import with_sport
from backstride.ingest.summary import FileSummary, summarize
from backstride.ingest.track import normalise_sport
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.analytics_params import FormSampling
from backstride.knowledge.care import AssociationWords
from backstride.progress.association import (
    WORDS_ID,
    Association,
    RunLoad,
    pain_load_associations,
)
from backstride.progress.change import DailyPain, daily_pain
from backstride.services.analysis import AnalysisReport, _day, _label, _training_activity
from backstride.services.cohort_sources import DIARY_FILE, read_diary
from backstride.services.imports import _ON_FOOT, _reason, _RunIndex, _start_key, _stats
from backstride.storage import activities as repo
from backstride.storage.activities import _row_values
from backstride.storage.samples import pack_samples, unpack_samples

Failure = tuple[str, str]  # (file label, reason)


@dataclass(frozen=True, slots=True)
class RunnerAnalysis:
    """Everything the cohort writes for one runner: the analysis report and the diary view."""

    report: AnalysisReport
    pain: tuple[DailyPain, ...]
    associations: tuple[Association, ...]
    failures: tuple[Failure, ...]


@dataclass
class _Read:
    """Accepted activities in import order, with the duplicate keys seen so far."""

    activities: list[_Parsed]
    failures: list[Failure]
    hashes: set[str]
    starts: set[tuple[datetime, str]]
    runs: _RunIndex


def analyse_runner(folder: Path, *, limits: Limits, shoe_inspection_km: float) -> RunnerAnalysis:
    """Read, dedupe and analyse one runner folder (IngestError when nothing is readable).

    References: frandsen-2025, nielsen-2014, foster-1998, williams-2017, silbernagel-2007
    """
    read = _read_folder(folder, limits)
    if not read.activities:
        reasons = "; ".join(f"{label}: {why}" for label, why in read.failures[:3])
        raise IngestError(f"no readable activity file ({reasons or 'folder is empty'})")
    stored = _store_view(read.activities)
    report = _analysis(stored, shoe_inspection_km)
    pain, associations, diary_failures = _diary(folder, stored)
    return RunnerAnalysis(report, pain, associations, tuple(read.failures + diary_failures))


def _read_folder(folder: Path, limits: Limits) -> _Read:
    expansion = expand([folder], limits=limits)
    read = _Read([], list(expansion.failures), set(), set(), _RunIndex([]))
    for source in expansion.sources:
        parsed = _parse(source, limits)
        if isinstance(parsed, str):
            read.failures.append((_relative(source.label, folder), parsed))
            continue
        activity = parsed[0]
        key = _start_key(activity)
        # The import's duplicate rules: same content, same start and device, same run.
        if (
            activity.source_hash in read.hashes
            or key in read.starts
            or read.runs.has(key[0], activity.distance_m)
        ):
            continue
        read.hashes.add(activity.source_hash)
        read.starts.add(key)
        read.runs.add(key[0], activity.distance_m)
        read.activities.append(parsed)
    return read


_Parsed = tuple[Activity, FileSummary, bytes | None]


def _parse(source: Source, limits: Limits) -> _Parsed | str:
    """The import's per-file reading (`services.imports.parse_source`) without a store.

    The activity keeps only its timestamps (as the import's parent does); the samples a
    form metric may need are kept packed, exactly as the samples file would hold them.
    """
    try:
        data, name = unwrap(load_source(source, limits=limits), limits=limits, name=source.label)
        activity = parse_activity(data, source_name=name, sport_hint=source.sport_hint)
        activity = replace(activity, name=source.name or activity.name, gear=source.gear)
        if activity.sport == "generic" and source.sport_hint:
            sport, sub_sport = normalise_sport(source.sport_hint)
            activity = with_sport(activity, sport, activity.sub_sport or sub_sport)
        summary = summarize(activity)
        blob = None
        if activity.sport == "running" and summary.avg_cadence_spm is not None:
            blob = pack_samples(activity.samples)
        bare = replace(activity, samples=Samples(timestamp=activity.samples.timestamp))
        return bare, summary, blob
    except IngestError as exc:
        return _reason(str(exc), source.label)
    except OSError as exc:
        return f"cannot read: {exc}"
    except Exception as exc:  # a reader bug must not stop the runner's other files
        return f"unexpected {type(exc).__name__}: {exc}"


def _relative(label: str, folder: Path) -> str:
    prefix = str(folder).rstrip("/") + "/"
    return label[len(prefix) :] if label.startswith(prefix) else label


@dataclass(frozen=True, slots=True)
class _StoreView:
    """What `analyze` would read from the store: rows, their keys, samples and shoes."""

    rows: list[repo.ActivitySummary]
    keys: dict[int, str]  # row id -> source hash
    samples: dict[int, bytes]  # packed, as the samples file holds them
    shoes: list[Shoe]


def _store_view(accepted: list[_Parsed]) -> _StoreView:
    """Rows as the store would hold them (ids in import order), stored samples, shoes."""
    rows, keys = [], {}
    samples: dict[int, bytes] = {}
    shoes: dict[str, Shoe] = {}
    for row_id, (activity, summary, blob) in enumerate(accepted, start=1):
        shoe = _shoe(activity, shoes)
        values = _row_values(
            repo.NewActivity(activity, _stats(summary), None),
            runner_id=0,
            imported_at=activity.start_time,
        )
        rows.append(_summary(row_id, values, shoe))
        keys[row_id] = activity.source_hash
        if blob is not None:
            samples[row_id] = blob
    rows.sort(key=lambda r: (r.start_time, r.id))
    return _StoreView(rows, keys, samples, list(shoes.values()))


def _shoe(activity: Activity, shoes: dict[str, Shoe]) -> str | None:
    """The stored shoe name for this activity's gear, registering it on first sight."""
    if not activity.gear or activity.sport not in _ON_FOOT:
        return None
    name = activity.gear.strip()
    folded = name.lower()
    if folded not in shoes:
        shoes[folded] = Shoe(name, added_on=activity.start_time.date())
    return shoes[folded].name


def _summary(row_id: int, values: dict[str, object], shoe: str | None) -> repo.ActivitySummary:
    def optional(name: str) -> float | None:
        value = values[name]
        return None if value is None else float(value)  # type: ignore[arg-type]

    return repo.ActivitySummary(
        id=row_id,
        sport=str(values["sport"]),
        sub_sport=values["sub_sport"],  # type: ignore[arg-type]
        start_time=repo.as_utc(values["start_time"]),  # type: ignore[arg-type]
        device=values["device"],  # type: ignore[arg-type]
        duration_s=float(values["duration_s"]),  # type: ignore[arg-type]
        moving_time_s=optional("moving_time_s"),
        distance_m=optional("distance_m"),
        avg_hr_bpm=optional("avg_hr_bpm"),
        max_hr_bpm=optional("max_hr_bpm"),
        avg_cadence_spm=optional("avg_cadence_spm"),
        avg_speed_mps=optional("avg_speed_mps"),
        has_running_dynamics=bool(values["has_running_dynamics"]),
        records=int(values["records"]),  # type: ignore[call-overload]
        source_format=str(values["source_format"]),
        name=values["name"],  # type: ignore[arg-type]
        shoe_id=None,
        shoe_name=shoe,
        surface=values["surface"],  # type: ignore[arg-type]
        samples_path=None,
    )


def _analysis(stored: _StoreView, shoe_inspection_km: float) -> AnalysisReport:
    """`services.analysis.analyze` over the runner's whole history, without a store."""
    rows, keys = stored.rows, stored.keys
    days = [_day(r) for r in rows]
    first, end = min(days), max(days)
    rules = FindingRules.from_kb(load_knowledge_base())
    form_start = form_window_start(end, rules.params)
    analysis = analyze_training(
        [_training_activity(r, keys[r.id]) for r in rows],
        today=end,
        since=first,
        forms=_forms(stored, form_start, rules.params.form),
        shoes=stored.shoes,
        shoe_inspection_km=shoe_inspection_km,
        params=rules.params,
    )
    return AnalysisReport(
        analysis=analysis,
        findings=findings_from(analysis, rules),
        labels={keys[r.id]: _label(r) for r in rows},
        activities=len(rows),
        first_day=first,
        last_day=end,
    )


def _forms(stored: _StoreView, form_start: date, sampling: FormSampling) -> list[RunForm]:
    """Per-run form from stored-precision samples, for the weeks `analyze` reads them."""
    forms = []
    for row in stored.rows:
        if row.id not in stored.samples or _day(row) < form_start:
            continue
        samples = unpack_samples(stored.samples[row.id])
        form = run_form(samples, key=stored.keys[row.id], day=_day(row), sampling=sampling)
        if form is not None:
            forms.append(form)
    return forms


def _diary(
    folder: Path, stored: _StoreView
) -> tuple[tuple[DailyPain, ...], tuple[Association, ...], list[Failure]]:
    """Daily pain and the lagged pain-load associations, as `progress` computes them."""
    path = folder / DIARY_FILE
    if not path.is_file():
        return (), (), []
    try:
        entries = read_diary(path)
    except (BackstrideError, OSError, UnicodeDecodeError) as exc:
        return (), (), [(DIARY_FILE, str(exc))]
    pain = daily_pain(entries)
    runs = [
        RunLoad(
            key=stored.keys[r.id],
            start=r.start_time.astimezone(),  # the runner's local day, as progress uses
            distance_m=float(r.distance_m or 0.0),
            duration_s=float(r.duration_s or 0.0),
            cadence_spm=r.avg_cadence_spm,
            surface=surface_of(r.sub_sport, r.surface),
        )
        for r in stored.rows
        if r.sport == "running"
    ]
    kb = load_knowledge_base()
    associations = pain_load_associations(
        {d.on: d.mean_pain for d in pain}, runs, words=kb.one(AssociationWords, WORDS_ID),
        lookback_days=FindingRules.from_kb(kb).spike.lookback_days,
    )  # fmt: skip
    return pain, associations, []
