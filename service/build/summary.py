"""A one-screen summary of a release, read from its manifest."""

from __future__ import annotations

from service.publication.manifest import Manifest

COLUMNS = 2  # entities per line: some forty classes then fit on one 80-column screen


def summary(manifest: Manifest) -> str:
    """What the release holds: triples, entities per class, cited sources, validation outcome, files."""
    graphs = ", ".join(f"{name} {manifest.triples[name]:,}" for name in manifest.graphs)
    checks = manifest.validation
    outcome = "conforms" if checks["conforms"] else "does NOT conform"
    width = max((len(name) for name in manifest.entities), default=0)
    cells = [f"{name:<{width}} {count:>5}" for name, count in manifest.entities.items()]
    rows = ["  " + "   ".join(cells[i : i + COLUMNS]) for i in range(0, len(cells), COLUMNS)]
    lines = [
        f"Release {manifest.version} of {manifest.date} (canonical base {manifest.base})",
        f"Triples: {manifest.triples['total']:,} ({graphs})",
        "Entities per class:",
        *rows,
        f"Distinct sources cited (dct:source): {manifest.sources}",
        f"Validation: {outcome} ({checks['violations']} violations, {checks['warnings']} warnings, "
        f"{checks['infos']} infos)",
        f"Files: {len(manifest.files)}, {sum(entry.byte_size for entry in manifest.files):,} bytes",
    ]
    return "\n".join(lines) + "\n"
