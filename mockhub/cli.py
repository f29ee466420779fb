"""The `mockhub` command: serve, totp, openapi, seeds check."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import click

from mockhub.errors import SeedError
from mockhub.settings import Settings

DEFAULTS = Settings()  # the options' defaults: one source with create_app's


def _env(name: str) -> dict[str, Any]:
    return {"envvar": f"MOCKHUB_{name}", "show_envvar": True}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mockhub")
def main() -> None:
    """mockhub: a local, stateful mock of the NoackHub API v2."""


@main.command()
@click.option("--host", default=DEFAULTS.host, show_default=True, **_env("HOST"),
              help="Interface to listen on.")
@click.option("--port", default=DEFAULTS.port, show_default=True, type=int, **_env("PORT"),
              help="Port; 0 picks a free one.")
@click.option("--seed", "seeds", multiple=True, type=click.Path(dir_okay=False),
              envvar="MOCKHUB_SEED", show_envvar=True,
              help="Seed file (repeatable, merged in order). Default: the shipped seed.")
@click.option("--faker-seed", default=DEFAULTS.faker_seed, show_default=True, type=int,
              **_env("FAKER_SEED"),
              help="Seed for generated data, secrets and tokens.")
@click.option("--public-url", default=DEFAULTS.public_url, show_default=True,
              **_env("PUBLIC_URL"), help="Base of html_url, clone_url and ssh_url.")
@click.option("--cors", default=DEFAULTS.cors, show_default=True, **_env("CORS"),
              help="Allowed CORS origins, comma-separated.")
@click.option("--log-level", default=DEFAULTS.log_level, show_default=True, **_env("LOG_LEVEL"),
              type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
              help="info logs every request.")
@click.option("--clock", default=DEFAULTS.clock, **_env("CLOCK"),
              help="Freeze the clock at this ISO time, e.g. 2026-05-13T08:00:00Z.")
@click.option("--faults", "faults", multiple=True, type=click.Path(dir_okay=False),
              **_env("FAULTS"),
              help="Fault rules file, YAML or JSON (repeatable); reset keeps these rules.")
@click.option("--latency", default=DEFAULTS.latency, **_env("LATENCY"),
              help="Added delay on every API request in ms: 50, or 20-200 (uniform, seeded).")
@click.option("--rate-limit", default=DEFAULTS.rate_limit, **_env("RATE_LIMIT"),
              help="Requests per token (anonymous: per address) on the mock clock, e.g. "
                   "60/min; more get 429.")
@click.option("--journal-size", default=DEFAULTS.journal_size, show_default=True,
              type=click.IntRange(min=1), **_env("JOURNAL_SIZE"),
              help="How many API calls /__mockhub/requests remembers.")
@click.option("--admin-token", default=DEFAULTS.admin_token, **_env("ADMIN_TOKEN"),
              help="Require the header X-Mockhub-Admin-Token: T on /__mockhub/ calls.")
def serve(host: str, port: int, seeds: tuple[str, ...], faker_seed: int, public_url: str,
          cors: str, log_level: str, clock: str | None, faults: tuple[str, ...],
          latency: str | None, rate_limit: str | None, journal_size: int,
          admin_token: str | None) -> None:
    """Serve the API on HOST:PORT until interrupted."""
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    settings = Settings(host=host, port=port, seeds=list(seeds), faker_seed=faker_seed,
                        public_url=public_url, cors=cors, log_level=log_level, clock=clock,
                        faults=list(faults), latency=latency, rate_limit=rate_limit,
                        journal_size=journal_size, admin_token=admin_token or None)
    if clock:
        _check_clock(clock)
    _check_switches(latency, rate_limit)
    if not settings.loopback:
        click.echo(f"warning: listening on {host}, reachable from other machines; "
                   "mockhub has no real security.", err=True)
        if not settings.admin_token:
            click.echo("  the /__mockhub/ control plane answers 403 until you start with "
                       "--admin-token <secret> (or MOCKHUB_ADMIN_TOKEN).", err=True)
    from mockhub.app import create_app
    from mockhub.faults import RuleError
    from mockhub.server import create_server

    try:
        app = create_app(settings)
    except SeedError as problem:
        raise click.ClickException(f"seed error: {problem}") from None
    except RuleError as problem:
        raise click.ClickException(str(problem)) from None
    try:
        server = create_server(app, host, port)
    except OSError as problem:
        raise click.ClickException(f"cannot listen on {host}:{port}: {problem.strerror}") from None
    click.echo(_banner(app, host, server.server_port))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("mockhub stopped.")
    finally:
        server.server_close()


def _check_clock(clock: str) -> None:
    from mockhub.clock import Clock
    from mockhub.errors import Invalid

    try:
        Clock(clock)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {clock}", param_hint="--clock") from None
    except Invalid as problem:
        raise click.BadParameter(problem.errors["clock"][0], param_hint="--clock") from None


def _check_switches(latency: str | None, rate_limit: str | None) -> None:
    from mockhub.faults import RuleError, parse_latency
    from mockhub.ratelimit import parse_rate_limit

    for flag, parse, value in (("--latency", parse_latency, latency),
                               ("--rate-limit", parse_rate_limit, rate_limit)):
        try:
            parse(value)
        except RuleError as problem:
            raise click.BadParameter(str(problem), param_hint=flag) from None


def _banner(app: Any, host: str, port: int) -> str:
    from mockhub.runtime import runtime

    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    rt = runtime(app)
    users = list(rt.store.users)
    listed = ", ".join(f"{u.login} ({u.role})" for u in users[:8])
    more = f" and {len(users) - 8} more" if len(users) > 8 else ""
    switches = [f"{len(rt.faults)} fault rule(s)" if len(rt.faults) else "",
                f"latency {rt.settings.latency} ms" if rt.faults.latency else "",
                f"rate limit {rt.settings.rate_limit}" if rt.ratelimit else "",
                "admin token required" if rt.settings.admin_token else ""]
    shown_switches = ", ".join(s for s in switches if s)
    extra = f"\n  failures on: {shown_switches}" if shown_switches else ""
    return (f"mockhub serving NoackHub API v2 at {base}/api/v2  (docs: {base}/api/v2/docs)\n"
            f"  users: {listed}{more}\n"
            "  password: see the seed file's `password:` (the default seed's is 'mockhub'; "
            "README, 'Seeded users')\n"
            f"  control plane: {base}/__mockhub/  ·  Ctrl-C stops{extra}")


@main.command()
@click.argument("login")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True, **_env("URL"),
              help="Base URL of a running mockhub.")
@click.option("--admin-token", default=None, **_env("ADMIN_TOKEN"),
              help="The running mockhub's --admin-token, if it has one.")
def totp(login: str, url: str, admin_token: str | None) -> None:
    """Print LOGIN's current TOTP code, from a running mockhub's clock."""
    import urllib.error  # here, not at the top: they cost every `mockhub` start ~20-35 ms
    import urllib.request

    headers = {"X-Mockhub-Admin-Token": admin_token} if admin_token else {}
    call = urllib.request.Request(f"{url.rstrip('/')}/__mockhub/totp/{login}", headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=5) as response:
            data = json.load(response)
    except urllib.error.HTTPError as problem:
        message = json.loads(problem.read() or b"{}").get("message", problem.reason)
        raise click.ClickException(str(message)) from None
    except (urllib.error.URLError, OSError) as problem:
        raise click.ClickException(f"cannot reach mockhub at {url}: {problem}") from None
    code = data.get("code") or data.get("pending_code")
    if code is None:
        raise click.ClickException(f"{login} has no 2FA secret.")
    click.echo(f"{code}  ({data['seconds_left']} s left)")


@main.command()
def openapi() -> None:
    """Print the OpenAPI document."""
    from mockhub.app import create_app

    app = create_app()
    with app.test_client() as client:
        click.echo(json.dumps(client.get("/api/v2/openapi.json").json, indent=2))


@main.group()
def seeds() -> None:
    """Seed files."""


@seeds.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--faker-seed", default=DEFAULTS.faker_seed, type=int)
def seeds_check(files: tuple[str, ...], faker_seed: int) -> None:
    """Load seed files as `serve` would and report what they hold."""
    from mockhub.app import build_store
    from mockhub.clock import Clock

    try:
        store = build_store(Settings(seeds=list(files), faker_seed=faker_seed), Clock())
    except SeedError as problem:
        raise click.ClickException(f"seed error: {problem}") from None
    counts = ", ".join(f"{len(t)} {name}" for name, t in store.tables.items() if len(t))
    click.echo(f"ok: {counts}")


if __name__ == "__main__":
    sys.exit(main())
