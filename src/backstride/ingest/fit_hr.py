"""Heart rate sent in `hr` messages (HRM-Swim, HRM-Run, HRM-Pro) merged into the records.

These straps store beats while the watch cannot receive them (under water, or without a
connection) and send them afterwards as `hr` messages: `filtered_bpm` values with
`event_timestamp`s in 1/1024 s. The first message of a run carries a real `timestamp` and
one event time, the anchor; later event times count from it, either in full
(`event_timestamp`) or packed as 12-bit increments (`event_timestamp_12`, two per three
bytes, rolling over every 4 s). As in the FIT SDK's merge, a value is carried forward
over gaps in 0.25 s steps for up to 5 s, and each record takes the rounded mean of the
values after the previous record's time up to its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from backstride.domain.activity import FloatArray
from backstride.ingest import fit_native
from backstride.ingest.fit_decode import MessageTable

STEP_S = 0.25
MAX_STEPS = 20  # 5 s of carried values
TICKS = 1024.0  # event_timestamp units per second
_ROLLOVER_12 = 0x1000


def merged_heart_rate(hr: MessageTable, record_s: FloatArray) -> FloatArray | None:
    """Per-record heart rate (bpm, NaN where none) from `hr` messages; None if unusable.

    `record_s` is each record's time in seconds (any fixed origin, the same as the
    `hr` messages' timestamps after `seconds_of`).
    """
    bpm_column, stamp = hr.get("filtered_bpm"), hr.get("timestamp")
    if bpm_column is None or stamp is None or stamp.dtype.kind != "M" or bpm_column.dtype == object:
        return None
    anchor_s = seconds_of(stamp)
    core = fit_native.CORE
    if core is not None:  # the same steps in one compiled call
        merged = _merged_natively(core, hr, anchor_s, record_s)
        if merged is not None:
            return None if isinstance(merged, int) else merged
    times, beats = _beat_times(hr, anchor_s)
    if len(times) == 0:
        return None
    times, beats = _carry_forward(times, beats)
    return _per_record(times, beats, record_s)


def _merged_natively(
    core: Any, hr: MessageTable, anchor_s: FloatArray, record_s: FloatArray
) -> FloatArray | int | None:
    """The core's merge: per-record bpm, 0 when no beat is placed, None when it declines."""
    n = len(hr)
    columns = [_numeric(hr.get(name), n) for name in ("event_timestamp", "event_timestamp_12")]
    fraction = _numeric(hr.get("fractional_timestamp"), n)
    anchors = anchor_s + (0.0 if fraction is None else np.nan_to_num(fraction[:, 0]))
    full, packed = (None if c is None else np.ascontiguousarray(c) for c in columns)
    bpm = np.ascontiguousarray(_rows(hr.fields["filtered_bpm"], n))
    found: FloatArray | int | None = core.hr_merge(
        bpm, full, packed, np.ascontiguousarray(anchors), np.ascontiguousarray(record_s)
    )
    return found


def seconds_of(stamps: npt.NDArray[np.datetime64]) -> FloatArray:
    """datetime64 values as float seconds since the Unix epoch (NaN for NaT)."""
    out = stamps.astype("datetime64[ms]").astype(np.int64).astype(np.float64) / 1000.0
    out[np.isnat(stamps)] = np.nan
    return out


def _rows(column: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    return column.reshape(n, -1) if column.ndim == 2 else column.reshape(n, 1)


def _beat_times(hr: MessageTable, anchor_s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(time in s, bpm) of every stored beat value, in message order (vectorised)."""
    n = len(hr)
    bpm = _rows(hr.fields["filtered_bpm"], n)
    msg, k = np.nonzero(np.isfinite(bpm))
    full = _numeric(hr.get("event_timestamp"), n)
    packed = _numeric(hr.get("event_timestamp_12"), n)
    full_ticks = np.full(len(msg), np.nan)
    if full is not None and full.shape[1] > 0:
        inside = k < full.shape[1]
        full_ticks[inside] = np.round(full[msg[inside], k[inside]] * TICKS)
    low = np.full(len(msg), np.nan)
    if packed is not None and packed.shape[1] >= 3:
        values = _unpack_12(packed)
        inside = k < values.shape[1]
        low[inside] = values[msg[inside], k[inside]]
    is_full = np.isfinite(full_ticks)
    usable = is_full | np.isfinite(low)
    msg, k, full_ticks, low, is_full = (
        msg[usable],
        k[usable],
        full_ticks[usable],
        low[usable],
        is_full[usable],
    )
    ticks = _accumulate(full_ticks, low, is_full)
    seconds = ticks / TICKS
    fraction = _numeric(hr.get("fractional_timestamp"), n)
    anchors = anchor_s + (0.0 if fraction is None else np.nan_to_num(fraction[:, 0]))
    # an anchor message pins its first event time to its timestamp; later ones count from it
    first_of_msg = np.r_[True, msg[1:] != msg[:-1]] if len(msg) else np.zeros(0, dtype=bool)
    is_anchor = first_of_msg & np.isfinite(anchors[msg])
    latest = (
        np.maximum.accumulate(np.where(is_anchor, np.arange(len(msg)), -1)) if len(msg) else msg
    )
    placed = latest >= 0
    times = np.full(len(msg), np.nan)
    at = latest[placed]
    times[placed] = anchors[msg[at]] + seconds[placed] - seconds[at]
    t, v = times, bpm[msg, k]
    ok = np.isfinite(t) & (v > 0)
    return t[ok], v[ok]


def _numeric(column: FloatArray | None, n: int) -> FloatArray | None:
    return None if column is None or column.dtype == object else _rows(column, n)


def _unpack_12(packed: FloatArray) -> FloatArray:
    """Rows of bytes -> rows of 12-bit values (two per three bytes, little end first)."""
    width = packed.shape[1] // 3 * 3
    raw = np.nan_to_num(packed[:, :width], nan=0).astype(np.int64)
    low, mid, high = raw[:, 0::3], raw[:, 1::3], raw[:, 2::3]
    pairs = np.stack([low | (mid & 0x0F) << 8, mid >> 4 | high << 4], axis=2)
    values = pairs.reshape(len(raw), -1).astype(np.float64)
    values[~np.isfinite(packed[:, :width]).all(axis=1)] = np.nan
    return values


def _accumulate(full_ticks: FloatArray, low: FloatArray, is_full: FloatArray) -> FloatArray:
    """Event ticks: a full value restarts the count, each 12-bit value adds its increment."""
    if not len(low):
        return low
    own_low = np.where(is_full, np.nan_to_num(full_ticks) % _ROLLOVER_12, low)
    step = np.zeros(len(low))
    step[1:] = (own_low[1:] - own_low[:-1]) % _ROLLOVER_12
    step[is_full] = 0.0
    group = np.cumsum(is_full) - 1  # index of the latest full value (-1: none yet)
    base = full_ticks[is_full]
    running = np.cumsum(step)
    at_base = running[is_full]
    out = np.full(len(low), np.nan)
    known = group >= 0
    out[known] = base[group[known]] + running[known] - at_base[group[known]]
    return out


def _carry_forward(times: FloatArray, beats: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Insert the previous value every 0.25 s into gaps, for at most 5 s."""
    gaps_ms = np.abs(np.diff(times)) * 1000.0
    extra = np.clip(np.ceil(gaps_ms / (STEP_S * 1000.0) - 1e-9) - 1, 0, MAX_STEPS).astype(np.int64)
    if not extra.any():
        return times, beats
    owner = np.repeat(np.arange(len(extra)), extra)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    filled_t = times[owner] + STEP_S * step
    filled_v = beats[owner]
    # each filler sits after its owner and before the next value: a stable sort keeps that
    all_t = np.concatenate([times, filled_t])
    all_v = np.concatenate([beats, filled_v])
    rank = np.concatenate([np.arange(len(times)) * (MAX_STEPS + 1), owner * (MAX_STEPS + 1) + step])
    order = np.argsort(rank, kind="stable")
    return all_t[order], all_v[order]


def _per_record(times: FloatArray, beats: FloatArray, record_s: FloatArray) -> FloatArray:
    """Rounded mean of the values in (previous record, this record] for every record."""
    ends = record_s
    starts = np.empty_like(ends)
    starts[0] = ends[0] - 1.0
    starts[1:] = ends[:-1]
    same = starts >= ends
    starts[same] = ends[same] - 1.0
    order = np.argsort(times, kind="stable")
    t, v = times[order], beats[order]
    sums = np.concatenate(([0.0], np.cumsum(v)))
    lo = np.searchsorted(t, starts, side="right")
    hi = np.searchsorted(t, ends, side="right")
    counts = hi - lo
    out = np.full(len(ends), np.nan)
    have = np.isfinite(ends) & (counts > 0)
    out[have] = np.floor((sums[hi[have]] - sums[lo[have]]) / counts[have] + 0.5)
    return out
