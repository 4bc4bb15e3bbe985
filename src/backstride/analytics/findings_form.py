"""Finding rules for form, shoes and surfaces (see `findings` for the load rules).

Form is compared with the runner's own history at matched speed; Garmin's population
bands appear only as labelled context.
"""

from __future__ import annotations

from datetime import timedelta

from backstride.analytics.analysis import RECENT_FORM_DAYS, TrainingAnalysis
from backstride.analytics.form import (
    POPULATION_MIDDLE,
    RunForm,
    population_position,
    time_weighted_median,
)
from backstride.analytics.rules import FindingRules, keys_between
from backstride.domain.finding import Finding


def _recent_forms(analysis: TrainingAnalysis) -> list[RunForm]:
    start = max(analysis.since, analysis.today - timedelta(days=RECENT_FORM_DAYS - 1))
    return [f for f in analysis.forms if start <= f.day <= analysis.today]


def _pace(speed_mps: float) -> str:
    seconds = round(1000.0 / speed_mps)
    return f"{seconds // 60}:{seconds % 60:02d} min/km"


def low_cadence_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """low_cadence_for_speed: recent cadence below Garmin's middle population band (context)."""
    forms = _recent_forms(analysis)
    cadence = time_weighted_median(forms, "cadence_spm")
    speed = time_weighted_median(forms, "speed_mps")
    if cadence is None or speed is None:
        return []
    position, note = population_position("cadence_spm", cadence)
    if position != "below":
        return []
    return [
        Finding(
            id="low_cadence_for_speed",
            severity="info",
            title=f"Cadence {cadence:.0f} steps/min on recent runs",
            evidence=(
                f"On your runs of the last {RECENT_FORM_DAYS} days your median cadence was "
                f"{cadence:.0f} steps/min at a median pace of {_pace(speed)}: {note}. Fewer "
                "steps at a given speed means longer steps, one sign of overstriding. If you "
                "want to try a change, consider +5–10 % of your own cadence at the same pace "
                f"(about {cadence * 1.05:.0f}–{cadence * 1.10:.0f} steps/min), added gradually "
                "(Heiderscheit 2011) — not a fixed target such as 180."
            ),
            runs=tuple(f.key for f in forms),
            metrics={
                "cadence_spm": round(cadence, 1),
                "speed_mps": round(speed, 3),
                "target_low_spm": round(cadence * 1.05, 1),
                "target_high_spm": round(cadence * 1.10, 1),
            },
            sources=("heiderscheit-2011", "garmin-running-dynamics"),
            on=analysis.today,
        )
    ]


def cadence_drop_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """cadence_drop: cadence at matched speed ≥ 3 % below the runner's previous 12 weeks."""
    change = analysis.cadence_change
    if change is None or change.change_pct > -rules.cadence_drop_pct:
        return []
    return [
        Finding(
            id="cadence_drop",
            severity="consider",
            title=f"Cadence {abs(change.change_pct):.1f} % lower at the same speeds",
            evidence=(
                f"Over the last {RECENT_FORM_DAYS} days your cadence at matched speeds "
                f"(0.25 m/s bands, {change.bands_used} bands, "
                f"{change.matched_seconds / 60:.0f} min compared) was {change.recent_spm:.0f} "
                f"steps/min against {change.baseline_spm:.0f} in the 12 weeks before. Longer "
                "steps at the same pace can follow fatigue, pain or new shoes. Consider how "
                "your back feels on these runs and, if it suits you, slightly quicker, "
                "shorter steps (Heiderscheit 2011)."
            ),
            runs=tuple(f.key for f in _recent_forms(analysis)),
            metrics={
                "change_pct": round(change.change_pct, 2),
                "recent_spm": round(change.recent_spm, 1),
                "baseline_spm": round(change.baseline_spm, 1),
                "bands_used": float(change.bands_used),
            },
            sources=("heiderscheit-2011",),
            on=analysis.today,
        )
    ]


def vertical_oscillation_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """high_vertical_oscillation: recent bounce above Garmin's middle band (context)."""
    forms = _recent_forms(analysis)
    vo = time_weighted_median(forms, "vertical_oscillation_mm")
    ratio = time_weighted_median(forms, "vertical_ratio_pct")
    above = {
        metric: value
        for metric, value in (("vertical_oscillation_mm", vo), ("vertical_ratio_pct", ratio))
        if value is not None and population_position(metric, value)[0] == "above"
    }
    if not above:
        return []
    parts = [
        f"{metric.replace('_', ' ')} {value:.1f} ({population_position(metric, value)[1]})"
        for metric, value in above.items()
    ]
    return [
        Finding(
            id="high_vertical_oscillation",
            severity="info",
            title="More bounce than most runners on recent runs",
            evidence=(
                f"Median on your runs of the last {RECENT_FORM_DAYS} days: "
                + "; ".join(parts)
                + ". More vertical movement per step usually comes with longer, slower steps; "
                "consider whether slightly quicker, shorter steps feel easier on your back "
                "(Heiderscheit 2011). Compare yourself with your own runs at the same speed."
            ),
            runs=tuple(f.key for f in forms),
            metrics={k: round(v, 2) for k, v in above.items()}
            | {f"population_high_{k}": POPULATION_MIDDLE[k][1] for k in above},
            sources=("garmin-running-dynamics", "heiderscheit-2011"),
            on=analysis.today,
        )
    ]


def shoe_findings(analysis: TrainingAnalysis, rules: FindingRules) -> list[Finding]:
    """shoe_inspection_due: an active shoe at or past the runner's inspection distance."""
    return [
        Finding(
            id="shoe_inspection_due",
            severity="info",
            title=f"Time to look at your shoe “{shoe.name}” ({shoe.distance_km:.0f} km)",
            evidence=(
                f"“{shoe.name}” has about {shoe.distance_km:.0f} km on it (your inspection "
                f"distance is {analysis.shoe_inspection_km:.0f} km). No study supports a fixed "
                "replacement distance: consider checking the midsole and outsole for wear and "
                "how your legs and back feel in it. Runners who used more than one pair in "
                "parallel had fewer injuries in one trial (Malisoux 2015); you used "
                f"{analysis.shoes_in_rotation} pair(s) in the last 8 weeks."
            ),
            metrics={
                "distance_km": round(shoe.distance_km, 1),
                "inspection_km": analysis.shoe_inspection_km,
                "shoes_in_rotation": float(analysis.shoes_in_rotation),
            },
            sources=("malisoux-2015",),
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
            Finding(
                id="surface_change",
                severity="consider",
                title=f"Switch to {change.surface} in the week of {change.week_start}",
                evidence=(
                    f"{change.share_now:.0%} of that week's distance ({change.distance_km:.1f} km) "
                    f"was on {change.surface}, against {change.share_before:.0%} in the four "
                    "weeks before. Evidence that one surface is better for the back is weak, so "
                    "this is counted as new load for your body rather than a good or bad "
                    "surface: consider bringing a new surface in gradually (Nielsen 2014)."
                ),
                runs=change.keys or keys_between(analysis, change.week_start, end),
                metrics={
                    "share_now": round(change.share_now, 4),
                    "share_before": round(change.share_before, 4),
                    "distance_km": round(change.distance_km, 3),
                },
                sources=("nielsen-2014",),
                on=change.week_start,
            )
        )
    return found
