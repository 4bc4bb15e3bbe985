"""`backstride serve`: run the web app on this machine (the web shell's own entry point)."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the web app (assessment, plan and API) until stopped with Ctrl+C."""
    import uvicorn

    from backstride.config import load_settings
    from backstride.web.app import create_app

    typer.echo(f"backstride is serving on http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    uvicorn.run(create_app(load_settings()), host=host, port=port, log_level="warning")


command = typer.main.get_command(app)
