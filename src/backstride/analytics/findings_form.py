"""Finding rules for form, shoes and surfaces (see `findings` for the load rules).

Form is compared with the runner's own history at matched speed; Garmin's population
bands appear only as labelled context.
"""

from __future__ import annotations

from datetime import timedelta

from backstride.analytics.analysis import TrainingAnalysis, recent_form_start
from backstride.analytics.form import RunForm, population_position, time_weighted_median
from backstride.analytics.rules import FindingRules, keys_between
from backstride.domain.finding import Finding
from backstride.knowledge.analytics_params import FormMetric


def _recent_forms(analysis: TrainingAnalysis) -> list[RunForm]:
    start = max(analysis.since, recent_form_start(analysis.today, analysis.params))
    return [f for f in analysis.forms if start <= f.day <= analysis.today]


def _pace(speed_mps: float) -> str:
    seconds = round(1000.0 / speed_mps)
    return f"{seconds // 60}:{seconds % 60:02d} min/km"


def low_cadence_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """low_cadence_for_speed: recent cadence below the one cadence rule's limit (context)."""
    forms = _recent_forms(analysis)
    cadence = time_weighted_median(forms, "cadence_spm")
    speed = time_weighted_median(forms, "speed_mps")
    if cadence is None or speed is None or not rules.is_low_cadence(cadence):
        return []
    _, note = population_position("cadence_spm", cadence, analysis.params.population)
    low, high = rules.cadence_targets(cadence)
    values = {
        "recent_days": analysis.params.form.recent_days,
        "cadence_spm": cadence,
        "pace": _pace(speed),
        "note": note,
        "target_low_spm": low,
        "target_high_spm": high,
    }
    return [
        rules.finding(
            "low_cadence_for_speed",
            severity="info",
            values=values,
            runs=tuple(f.key for f in forms),
            metrics={
                "cadence_spm": round(cadence, 1),
                "speed_mps": round(speed, 3),
                "target_low_spm": round(low, 1),
                "target_high_spm": round(high, 1),
            },
            on=analysis.today,
        )
    ]


def cadence_drop_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """cadence_drop: cadence at matched speed the rule's percentage below the previous 12 weeks."""
    change = analysis.cadence_change
    if change is None or change.change_pct > -rules.value("cadence_drop", "drop_pct"):
        return []
    values = {
        "recent_days": analysis.params.form.recent_days,
        "change_pct": abs(change.change_pct),
        "bands_used": change.bands_used,
        "minutes": change.matched_seconds / 60,
        "recent_spm": change.recent_spm,
        "baseline_spm": change.baseline_spm,
    }
    return [
        rules.finding(
            "cadence_drop",
            severity="consider",
            values=values,
            runs=tuple(f.key for f in _recent_forms(analysis)),
            metrics={
                "change_pct": round(change.change_pct, 2),
                "recent_spm": round(change.recent_spm, 1),
                "baseline_spm": round(change.baseline_spm, 1),
                "bands_used": float(change.bands_used),
            },
            on=analysis.today,
        )
    ]


def vertical_oscillation_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """high_vertical_oscillation: recent bounce above Garmin's middle band (context)."""
    forms = _recent_forms(analysis)
    vo = time_weighted_median(forms, "vertical_oscillation_mm")
    ratio = time_weighted_median(forms, "vertical_ratio_pct")
    population = analysis.params.population
    metrics: tuple[tuple[FormMetric, float | None], ...] = (
        ("vertical_oscillation_mm", vo),
        ("vertical_ratio_pct", ratio),
    )
    above = {
        metric: value
        for metric, value in metrics
        if value is not None and population_position(metric, value, population)[0] == "above"
    }
    if not above:
        return []
    parts = [
        f"{metric.replace('_', ' ')} {value:.1f} "
        f"({population_position(metric, value, population)[1]})"
        for metric, value in above.items()
    ]
    return [
        rules.finding(
            "high_vertical_oscillation",
            severity="info",
            values={"recent_days": analysis.params.form.recent_days, "parts": "; ".join(parts)},
            runs=tuple(f.key for f in forms),
            metrics={k: round(v, 2) for k, v in above.items()}
            | {f"population_high_{k}": population.bands[k].high for k in above},
            on=analysis.today,
        )
    ]


def shoe_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """shoe_inspection_due: an active shoe at or past the runner's inspection distance."""
    return [
        rules.finding(
            "shoe_inspection_due",
            severity="info",
            values={
                "name": shoe.name,
                "distance_km": shoe.distance_km,
                "inspection_km": analysis.shoe_inspection_km,
                "shoes_in_rotation": analysis.shoes_in_rotation,
            },
            metrics={
                "distance_km": round(shoe.distance_km, 1),
                "inspection_km": analysis.shoe_inspection_km,
                "shoes_in_rotation": float(analysis.shoes_in_rotation),
            },
            on=analysis.today,
        )
        for shoe in analysis.shoes
        if shoe.inspection_due
    ]


def surface_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """surface_change: a week mostly on a surface that was rare before (new load)."""
    found = []
    for change in analysis.surface_changes:
        end = change.week_start + timedelta(days=6)
        if end < analysis.since or change.week_start > analysis.today:
            continue
        found.append(
            rules.finding(
                "surface_change",
                severity="consider",
                values={
                    "surface": change.surface,
                    "week_start": change.week_start,
                    "share_now": change.share_now,
                    "share_before": change.share_before,
                    "distance_km": change.distance_km,
                },
                runs=change.keys or keys_between(analysis, change.week_start, end),
                metrics={
                    "share_now": round(change.share_now, 4),
                    "share_before": round(change.share_before, 4),
                    "distance_km": round(change.distance_km, 3),
                },
                on=change.week_start,
            )
        )
    return found
