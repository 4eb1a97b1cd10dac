"""The command line, `python -m service` (console script `cper`): build, validate or serve the release.

Exit codes:
  0  success: the release is written (build) or the sources conform (validate); warnings do not fail
  1  validation failed: the report is printed (findings grouped by message) and nothing is released
  2  usage or input error: bad arguments, a missing folder, a Turtle file that does not parse (named, with its
     line); for serve, a malformed setting or a missing or damaged release (one line, no traceback)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date as Date
from pathlib import Path

from service.build.profile import ProfileError
from service.build.sources import SourceError

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit code (see the module docstring)."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (SourceError, ProfileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT


def _build(args: argparse.Namespace) -> int:
    # Commands import what they need when they run: `--help` and `serve` need not load pyshacl.
    from service.build.release import ReleaseRefused, build_release, release_defaults
    from service.build.summary import summary

    root: Path = args.root
    version, date = args.version, args.date
    if version is None or date is None:
        default_version, default_date = release_defaults(root)
        version, date = version or default_version, date or default_date
    out: Path = args.out or root / "build"
    try:
        manifest = build_release(root, out, version=version, date=date)
    except ReleaseRefused as refused:
        sys.stdout.write(refused.report.as_text())
        print(f"error: {refused}; nothing written to {out}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(summary(manifest))
    print(f"Release written to {out}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from service.build.sources import load_sources
    from service.build.validation import validate

    report = validate(load_sources(args.root))
    sys.stdout.write(report.as_text())
    return EXIT_OK if report.conforms else EXIT_INVALID


def _iso_date(text: str) -> str:
    try:
        return Date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        "--root",
        dest="root",
        type=Path,
        default=Path("."),
        help="project tree holding ontology/, data/ and shapes/ (default: current directory)",
    )


def _configure_build(parser: argparse.ArgumentParser) -> None:
    _add_root(parser)
    parser.add_argument("--out", type=Path, help="release directory (default: ROOT/build)")
    parser.add_argument("--version", help="release version (default: the ontology's owl:versionInfo)")
    parser.add_argument(
        "--date",
        type=_iso_date,
        help="release date, YYYY-MM-DD (default: newest dct:modified "
        "of the ontology, so that rebuilding gives the same bytes)",
    )


def _serve(args: argparse.Namespace) -> int:
    from service.config import SettingsError
    from service.publication.published import ReleaseMissing
    from service.serving.serve import serve

    try:
        _check_remote_store()
        return serve(workers=args.workers, threads=args.threads)  # runs until SIGTERM/SIGINT when all is well
    except (SettingsError, ReleaseMissing) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT


def _check_remote_store() -> None:
    """In front of a remote store, refuse to start unless it is reachable and holds the configured release.

    :raises ReleaseMissing: the store is unreachable or holds something else (one line saying which).
    """
    import os

    from service.config import Settings
    from service.publication.published import ReleaseMissing, load
    from service.store.loading import check_release, open_remote
    from service.store.remote import StoreUnavailable

    settings = Settings.from_env(os.environ)
    if settings.store != "remote":
        return
    published = load(settings)
    try:
        check_release(open_remote(settings, published), settings, published)
    except StoreUnavailable as error:
        raise ReleaseMissing(f"the store at {settings.remote_endpoint} cannot be checked: {error.message}") from None


def _load(args: argparse.Namespace) -> int:
    import os

    from service.config import Settings, SettingsError
    from service.publication.published import ReleaseMissing, load
    from service.store.loading import (
        LoadFailed,
        check_release,
        graph_store_url,
        load_offline,
        load_over_http,
        open_remote,
    )
    from service.store.remote import StoreUnavailable

    # Offline loading needs no endpoint: only the release and its public base.
    environ = {**os.environ, "STORE": "embedded" if args.location else "remote", "REMOTE_DIALECT": args.store}
    if args.endpoint:
        environ["REMOTE_ENDPOINT"] = args.endpoint
    try:
        settings = Settings.from_env(environ)
        published = load(settings)
        if args.location is not None:
            load_offline(published, args.location, args.oxigraph)
            print(f"Loaded release {published.version} under {settings.base_url} into {args.location}")
            return EXIT_OK
        url = graph_store_url(settings)
        sent = load_over_http(published, url, os.environ.get("REMOTE_USER", ""), os.environ.get("REMOTE_PASSWORD", ""))
        check_release(open_remote(settings, published), settings, published)
    except (SettingsError, ReleaseMissing, LoadFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except StoreUnavailable as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_INPUT
    for iri, triples in sent.items():
        print(f"{iri}: {triples} triples")
    print(f"Loaded release {published.version} under {settings.base_url} into {url}; the store holds it")
    return EXIT_OK


def _configure_load(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", choices=("virtuoso", "oxigraph", "sparql11"), required=True, help="the kind of store to load"
    )
    parser.add_argument("--endpoint", help="its SPARQL endpoint, checked after loading (default: REMOTE_ENDPOINT)")
    parser.add_argument(
        "--location",
        type=Path,
        help="oxigraph only: load offline into this (empty) data directory with `oxigraph load`, server stopped",
    )
    parser.add_argument("--oxigraph", default="oxigraph", help="the oxigraph command, for --location")


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    parser.add_argument("--threads", type=int, default=8, help="blocking threads per worker (default: 8)")


Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]

# The subcommands: name -> (one-line help, configure its parser, run it and return the exit code).
COMMANDS: dict[str, Command] = {
    "build": (
        "validate the sources, then write the release (dumps, context, report, manifest)",
        _configure_build,
        _build,
    ),
    "validate": ("validate the sources and print the report; write nothing", _add_root, _validate),
    "load": (
        "load the release, as served under BASE_URL, into a remote store (Graph Store Protocol; "
        "REMOTE_GRAPH_STORE, REMOTE_USER, REMOTE_PASSWORD from the environment)",
        _configure_load,
        _load,
    ),
    "serve": (
        "serve the built release (settings from the environment: HOST, PORT, BASE_URL…)",
        _configure_serve,
        _serve,
    ),
}


def _parser() -> argparse.ArgumentParser:
    exit_codes = __doc__.split("Exit codes:", 1)[1] if __doc__ else ""
    parser = argparse.ArgumentParser(
        prog="python -m service",
        description="The CPER linked-data project: build, validate and serve the release.",
        epilog="exit codes:" + exit_codes,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for name, (help_text, configure, run) in COMMANDS.items():
        command = commands.add_parser(
            name,
            help=help_text,
            description=help_text.capitalize() + ".",
            epilog=parser.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        configure(command)
        command.set_defaults(run=run)
    return parser
