"""`backstride serve`: run the web app (the web shell's own entry point)."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (behind a proxy)."),
) -> None:
    """Serve the web app (accounts, assessment, plan, diary, API) until stopped with Ctrl+C."""
    import uvicorn

    from backstride.config import load_settings
    from backstride.web.app import create_app

    settings = load_settings()
    if host not in LOOPBACK and not settings.public_url:
        typer.echo("Reachable from other machines: every page needs an account; set "
                   "BACKSTRIDE_PUBLIC_URL and BACKSTRIDE_ALLOWED_HOSTS to the name people "
                   "use, and put https in front.", err=True)  # fmt: skip
    typer.echo(f"backstride is serving on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    if workers > 1:  # several processes need the app by import string (each builds its own)
        from backstride.services.store import migrate_once

        migrate_once(settings)
        uvicorn.run("backstride.web.app:create_app", factory=True, host=host, port=port,
                    workers=workers, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
                    log_level="warning")  # fmt: skip
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning",
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")  # fmt: skip


command = typer.main.get_command(app)
