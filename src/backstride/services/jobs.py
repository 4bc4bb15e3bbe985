"""Background jobs: imports run in a worker thread, PDFs in a worker process, so no request
ever waits behind them. A job's state lives in the database, so any server process can
answer `GET /api/v1/jobs/{id}` while another runs it.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backstride.config import Settings
from backstride.errors import BackstrideError, NotFoundError
from backstride.services.store import acting_as, store_session
from backstride.storage.account_tables import JobRow

if TYPE_CHECKING:
    from backstride.assess.intake import Case

_pools: dict[str, Executor] = {}
_pools_lock = threading.Lock()


def _pool(kind: str) -> Executor:
    """One import thread (imports of a process queue up: SQLite has one writer) and one
    PDF process (rendering is CPU-bound and would hold up the server's interpreter)."""
    with _pools_lock:
        if kind not in _pools:
            _pools[kind] = (
                ThreadPoolExecutor(1, thread_name_prefix="backstride-import")
                if kind == "import"
                else ProcessPoolExecutor(1, mp_context=get_context("spawn"))
            )
        return _pools[kind]


def shutdown_pools() -> None:
    """Stop the job workers (at server shutdown)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.shutdown(wait=False, cancel_futures=True)
        _pools.clear()


def job_status(settings: Settings, *, user_id: int, job_id: str) -> dict[str, Any]:
    """A job's state, progress and results (NotFoundError for anyone else's job)."""
    with store_session(settings) as session:
        row = session.get(JobRow, job_id)
        if row is None or row.user_id != user_id:
            raise NotFoundError(f"job: no job with id {job_id}")
        return {"id": row.id, "state": row.state, "done": row.done, "total": row.total,
                "results": list(row.results)}  # fmt: skip


def _new_job(settings: Settings, *, user_id: int, kind: str, total: int, now: datetime) -> str:
    job_id = str(uuid.uuid4())
    with store_session(settings) as session:
        session.add(JobRow(id=job_id, user_id=user_id, kind=kind, state="queued", done=0,
                           total=total, results=[], created_at=now))  # fmt: skip
    return job_id


def _update(settings: Settings, job_id: str, **values: Any) -> None:
    with store_session(settings) as session:
        row = session.get(JobRow, job_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)


def start_import(
    settings: Settings, *, user_id: int, scratch: Path, files: list[Path], names: list[str],
    refused: list[dict[str, Any]], now: datetime,
) -> str:  # fmt: skip
    """Queue an import of saved upload files (the scratch folder is removed afterwards)."""
    job_id = _new_job(settings, user_id=user_id, kind="import", total=len(files) + len(refused),
                      now=now)  # fmt: skip
    _pool("import").submit(_run_import, settings, user_id, job_id, scratch, files, names, refused,
                           now)  # fmt: skip
    return job_id


def _run_import(
    settings: Settings, user_id: int, job_id: str, scratch: Path, files: list[Path],
    names: list[str], refused: list[dict[str, Any]], now: datetime,
) -> None:  # fmt: skip
    from backstride.errors import OversizedInputError
    from backstride.services.imports import import_paths
    from backstride.services.upload_checks import check_compressed

    _update(settings, job_id, state="running", done=len(refused))
    kept: list[tuple[Path, str]] = []
    for path, name in zip(files, names, strict=True):
        try:
            check_compressed(path, settings, name=name)
            kept.append((path, name))
        except OversizedInputError as exc:
            refused = [*refused, {"file": name, "outcome": "failed", "reason": str(exc)}]
            path.unlink(missing_ok=True)
    files, names = [p for p, _n in kept], [n for _p, n in kept]
    offset = len(refused)

    def progress(done: int, total: int) -> None:
        _update(settings, job_id, done=offset + done, total=offset + max(total, len(files)))

    try:
        with acting_as(user_id):
            report = import_paths(settings, files, now=now, on_progress=progress) if files else None
        rows = refused + ([] if report is None else _results(report.as_json(), files, names))
        _update(settings, job_id, state="done", done=len(rows), total=len(rows), results=rows)
    except BackstrideError as exc:
        _fail(settings, job_id, refused, _plain_reason(str(exc), files))
    except Exception:  # never a traceback or path in a job's answer
        _fail(settings, job_id, refused, "the import stopped unexpectedly")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _fail(settings: Settings, job_id: str, refused: list[dict[str, Any]], reason: str) -> None:
    failure = {"file": "", "outcome": "failed", "reason": reason}
    _update(settings, job_id, state="failed", results=[*refused, failure])


def _results(report: dict[str, Any], files: list[Path], names: list[str]) -> list[dict[str, Any]]:
    """The import report per file, named as the person chose it (no server paths)."""
    by_path = {str(path): name for path, name in zip(files, names, strict=True)}
    out = []
    for row in report["files"]:
        label = str(row["file"])
        shown = next((name + label[len(p):] for p, name in by_path.items() if label.startswith(p)),
                     Path(label).name)  # fmt: skip
        item: dict[str, Any] = {"file": shown, "outcome": row["status"]}
        if row.get("id") is not None:
            item["activity_id"] = row["id"]
        if row.get("detail"):
            item["reason"] = _plain_reason(str(row["detail"]), files)
        out.append(item)
    return out


def _plain_reason(detail: str, files: list[Path]) -> str:
    """The reason without the scratch folder's path."""
    for path in files:
        detail = detail.replace(str(path.parent) + "/", "")
    return detail


async def render_plan_pdf(settings: Settings, *, user_id: int, today: date, now: datetime) -> bytes:
    """The current plan as PDF, rendered in the PDF worker process."""
    import asyncio

    future = _pool("pdf").submit(_pdf_in_worker, settings, user_id, today, now)
    return await asyncio.wrap_future(future)


def _pdf_in_worker(settings: Settings, user_id: int, today: date, now: datetime) -> bytes:
    from backstride.services.plans import render
    from backstride.services.runner_data import current_plan

    with acting_as(user_id):
        body = render(current_plan(settings, today=today, now=now), "pdf")
    return body if isinstance(body, bytes) else body.encode("utf-8")


async def render_case_pdf(case: Case, *, settings: Settings, today: date) -> bytes:
    """A plan PDF for a case (the result page's download), in the PDF worker."""
    import asyncio

    future = _pool("pdf").submit(_case_pdf_in_worker, case, settings, today)
    return await asyncio.wrap_future(future)


def _case_pdf_in_worker(case: Case, settings: Settings, today: date) -> bytes:
    from backstride.services.assessment import assess_case
    from backstride.services.plans import plan_for_case, render

    outcome = plan_for_case(case, assess_case(case), settings=settings, today=today)
    body = render(outcome, "pdf")
    return body if isinstance(body, bytes) else body.encode("utf-8")
