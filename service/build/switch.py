"""Publishing a release atomically: written whole into a new directory, then switched to with one rename.

`build/` is a symbolic link to `build.releases/<version>-<digest>/`. A build writes its files into a temporary
directory beside those, renames it to its final name once complete, then points `build` at it by renaming a
new link over the old one. Each step is a rename (atomic on POSIX), so a build killed at any moment leaves
`build` pointing at a complete release: the previous one, or the new one. The previous release is kept (a
server started from it can be started again); older ones are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

TEMPORARY = ".partial-"


def releases_of(out: Path) -> Path:
    """Where the releases of the link `out` live: `build.releases/` beside `build`."""
    return out.with_name(out.name + ".releases")


def publish(out: Path, name: str, write: Callable[[Path], None]) -> Path:
    """Have `write(directory)` fill a new directory, then make `out` a link to it, atomically.

    `name` identifies the content (version and digest); a release of that name that exists already is left
    as it is (`out` may point at it) and the new one takes the next free `name-N`. Returns the new release.
    """
    releases = releases_of(out)
    releases.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(releases, out)
    partial = releases / f"{TEMPORARY}{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    write(partial)
    _fsync_tree(partial)
    final, number = releases / name, 1
    while final.exists():
        final, number = releases / f"{name}-{number}", number + 1
    os.replace(partial, final)
    keep = {final.resolve(), _point(out, final)}
    for entry in releases.iterdir():
        if not entry.name.startswith(TEMPORARY) and entry.resolve() not in keep:
            shutil.rmtree(entry, ignore_errors=True)
    return final


def _point(out: Path, release: Path) -> Path | None:
    """Make `out` a symbolic link to `release` in one rename; returns the release it pointed at before."""
    previous = (out.parent / os.readlink(out)) if out.is_symlink() else None
    if out.exists() and not out.is_symlink():
        previous = _adopt(out)
    link = out.with_name(f"{TEMPORARY}{out.name}-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(os.path.relpath(release, out.parent), target_is_directory=True)
    os.replace(link, out)
    _fsync_dir(out.parent)
    return previous.resolve() if previous is not None else None


def _adopt(out: Path) -> Path | None:
    """A plain directory left by an older build: moved among the releases (or removed when empty)."""
    if not any(out.iterdir()):
        out.rmdir()
        return None
    adopted = releases_of(out) / f"adopted-{os.getpid()}"
    os.replace(out, adopted)
    return adopted


def _remove_abandoned(releases: Path, out: Path) -> None:
    """What builds that were killed left: partial directories and links (their process is gone)."""
    for entry in [*releases.glob(TEMPORARY + "*"), *out.parent.glob(f"{TEMPORARY}{out.name}-*")]:
        pid = entry.name.removeprefix(TEMPORARY).removeprefix(out.name + "-").split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        if entry.is_symlink():
            entry.unlink()
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_tree(directory: Path) -> None:
    """Flush the files and the directory itself, so that a crash of the machine cannot leave a renamed but empty
    release behind."""
    for path in directory.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
