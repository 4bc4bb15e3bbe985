"""Self-made activity files for tests: GPX and TCX documents and generated FIT runs.

The FIT bytes come from the test encoder (`tests.ingest.fit_encoder`); every test that
needs a file to import or read builds it here, so the documents have one shape.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.ingest.fit_encoder import START_UNIX, activity_writer

NS11 = "http://www.topografix.com/GPX/1/1"
TPX = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
GPX_T0 = datetime(2021, 5, 2, 6, 30, 0, tzinfo=UTC)


def gpx_bytes(
    segments: list[list[dict[str, object]]],
    *,
    sport: str | None = "running",
    version: str = "1.1",
    creator: str = "test-watch",
    name: str | None = "Easy run",
    start: datetime = GPX_T0,
) -> bytes:
    """A GPX document: each point may have lat, lon, ele, t (seconds after `start`), hr, cad."""
    ns = NS11 if version == "1.1" else "http://www.topografix.com/GPX/1/0"
    parts = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="{version}" creator="{creator}" '
        f'xmlns="{ns}" xmlns:gpxtpx="{TPX}"><trk>'
    ]
    if name:
        parts.append(f"<name>{name}</name>")
    if sport:
        parts.append(f"<type>{sport}</type>")
    for segment in segments:
        parts.append("<trkseg>")
        for point in segment:
            parts.append(_gpx_point(point, start))
        parts.append("</trkseg>")
    parts.append("</trk></gpx>")
    return "".join(parts).encode()


def _gpx_point(point: dict[str, object], start: datetime) -> str:
    attrs = "".join(f' {k}="{point[k]}"' for k in ("lat", "lon") if k in point)
    body = ""
    if "ele" in point:
        body += f"<ele>{point['ele']}</ele>"
    if "t" in point:
        moment = start + timedelta(seconds=float(point["t"]))  # type: ignore[arg-type]
        body += f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time>"
    ext = "".join(f"<gpxtpx:{k}>{point[k]}</gpxtpx:{k}>" for k in ("hr", "cad") if k in point)
    if ext:
        tpx = f"<gpxtpx:TrackPointExtension>{ext}</gpxtpx:TrackPointExtension>"
        body += f"<extensions>{tpx}</extensions>"
    return f"<trkpt{attrs}>{body}</trkpt>"


def straight_run(n: int, *, cad: float = 85, step_deg: float = 0.00003, start_s: float = 0):
    """Points heading north about 3.3 m per second (a steady easy run)."""
    return [
        {
            "lat": 46.0 + i * step_deg,
            "lon": 14.5,
            "ele": 300,
            "t": start_s + i,
            "hr": 140,
            "cad": cad,
        }
        for i in range(n)
    ]


TCD = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AX = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
TCX_T0 = datetime(2022, 9, 4, 8, 0, 0, tzinfo=UTC)


def tcx_bytes(
    laps: list[int],
    *,
    sport: str = "Running",
    run_cadence: float | None = 86,
    speed: float | None = 3.0,
    activities: int = 1,
) -> bytes:
    """A TCX document: `laps` gives the number of one-second trackpoints per lap."""

    def activity(offset_s: int) -> str:
        body, t = [], offset_s
        for n in laps:
            start = TCX_T0 + timedelta(seconds=t)
            points = "".join(_tcx_point(t + i, run_cadence, speed) for i in range(n))
            body.append(
                f'<Lap StartTime="{start:%Y-%m-%dT%H:%M:%SZ}"><TotalTimeSeconds>{n}'
                f"</TotalTimeSeconds><DistanceMeters>{3.0 * n}</DistanceMeters>"
                f"<Track>{points}</Track></Lap>"
            )
            t += n
        return (
            f'<Activity Sport="{sport}"><Id>{TCX_T0:%Y-%m-%dT%H:%M:%SZ}</Id>{"".join(body)}'
            "<Creator><Name>Forerunner 945</Name></Creator></Activity>"
        )

    acts = "".join(activity(k * 10_000) for k in range(activities))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="{TCD}" '
        f'xmlns:ax="{AX}"><Activities>{acts}</Activities></TrainingCenterDatabase>'
    ).encode()


def _tcx_point(t: int, run_cadence: float | None, speed: float | None) -> str:
    moment = TCX_T0 + timedelta(seconds=t)
    ext = ""
    if speed is not None:
        ext += f"<ax:Speed>{speed}</ax:Speed>"
    if run_cadence is not None:
        ext += f"<ax:RunCadence>{run_cadence}</ax:RunCadence>"
    return (
        f"<Trackpoint><Time>{moment:%Y-%m-%dT%H:%M:%SZ}</Time><Position>"
        f"<LatitudeDegrees>{46 + t * 2.7e-5}</LatitudeDegrees><LongitudeDegrees>14.5"
        f"</LongitudeDegrees></Position><AltitudeMeters>300</AltitudeMeters>"
        f"<DistanceMeters>{3.0 * t}</DistanceMeters><HeartRateBpm><Value>150</Value>"
        f"</HeartRateBpm><Extensions><ax:TPX>{ext}</ax:TPX></Extensions></Trackpoint>"
    )


#: Metres per record of the encoder's standard run (3.10 m a second, one record a second).
METRES_PER_RECORD = 3.1
FIRST_DAY = datetime.fromtimestamp(START_UNIX, UTC).date()


def fit_run(day_offset: int, km: float, *, minute: int = 0) -> bytes:
    """A generated FIT run of about `km` kilometres starting on FIRST_DAY + day_offset."""
    records = round(km * 1000 / METRES_PER_RECORD)
    return activity_writer(records, start=START_UNIX + day_offset * 86400 + minute * 60).to_bytes()
