"""`python -m service build|validate` as a user runs it: output, files written and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = "https://cper-hdf.example/id/contract/c1"
PREFIXES = """@prefix cper: <https://cper-hdf.example/def/cper#> .
@prefix cpersh: <https://cper-hdf.example/def/shapes#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ONTOLOGY = """<https://cper-hdf.example/def/cper> a owl:Ontology ; owl:versionInfo "0.1.0" ;
    dct:modified "2024-05-01"^^xsd:date, "2024-06-30"^^xsd:date .
cper:PlanContract a owl:Class .
cper:amount a owl:DatatypeProperty ; rdfs:range xsd:decimal .
"""
SHAPES = """cpersh:ContractShape a sh:NodeShape ; sh:targetClass cper:PlanContract ;
    sh:property [ sh:path cper:amount ; sh:minInclusive 0 ;
        sh:message "Le montant est positif ou nul."@fr, "The amount is zero or more."@en ] .
"""


def data(amount: str) -> str:
    return f"<{CONTRACT}> a cper:PlanContract ; cper:amount {amount} ; dct:source <https://example.org/doc> .\n"


def small_tree(root: Path, amount: str = "10.0") -> Path:
    """A project tree of small files: one contract, one amount, one shape, and the project's dataset profile."""
    for name, text in {"ontology/cper.ttl": ONTOLOGY, "shapes/shapes.ttl": SHAPES, "data/c.ttl": data(amount)}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(PREFIXES + text, encoding="utf-8")
    shutil.copyfile(PROJECT_ROOT / "data" / "dataset.ttl", root / "data" / "dataset.ttl")
    return root


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service", *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_build_writes_the_release_and_prints_its_summary(tmp_path: Path) -> None:
    root = small_tree(tmp_path)

    run = cli("build", "--root", root)

    assert run.returncode == 0, run.stderr
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    # Defaults: the ontology's owl:versionInfo and its newest dct:modified.
    assert (manifest["version"], manifest["date"]) == ("0.1.0", "2024-06-30")
    assert run.stdout.startswith("Release 0.1.0 of 2024-06-30 (canonical base https://cper-hdf.example/)\n")
    triples = manifest["triples"]
    assert f"Triples: {triples['total']:,} (data {triples['data']:,}, ontology " in run.stdout
    assert triples["data"] > 3  # the 3 facts, and the statements that say where each comes from
    assert re.search(r"Entities per class:\n  cper:PlanContract +1\b", run.stdout), run.stdout
    assert "Distinct sources cited (dct:source): 1\n" in run.stdout
    assert "Validation: conforms (0 violations, 0 warnings, 0 infos)\n" in run.stdout
    assert f"Release written to {root / 'build'}" in run.stdout


def test_build_takes_out_version_and_date(tmp_path: Path) -> None:
    root = small_tree(tmp_path)

    run = cli("build", "--root", root, "--out", tmp_path / "elsewhere", "--version", "9.9", "--date", "2025-01-31")

    assert run.returncode == 0, run.stderr
    manifest = json.loads((tmp_path / "elsewhere" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["version"], manifest["date"]) == ("9.9", "2025-01-31")
    assert not (root / "build").exists()


def test_validate_exits_0_when_the_sources_conform(tmp_path: Path) -> None:
    run = cli("validate", "--root", small_tree(tmp_path))

    assert (run.returncode, run.stdout) == (0, "Conforms: 0 violation(s), 0 warning(s), 0 info(s).\n")


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_violation_exits_1_and_the_report_names_the_focus_node(tmp_path: Path, command: str) -> None:
    root = small_tree(tmp_path, amount="-5.0")

    run = cli(command, "--root", root)

    assert run.returncode == 1
    assert run.stdout.startswith("Does not conform: 1 violation(s), 0 warning(s), 0 info(s).\n")
    assert "Violation (1): Le montant est positif ou nul. / The amount is zero or more.\n" in run.stdout
    assert f'  focus <{CONTRACT}>  path cper:amount  value "-5.0"^^xsd:decimal\n' in run.stdout
    assert not (root / "build").exists()


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_turtle_syntax_error_exits_2_naming_the_file_and_line(tmp_path: Path, command: str) -> None:
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    broken = sorted((tmp_path / "data").glob("*.ttl"))[-1]
    lines = broken.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines, "<https://cper-hdf.example/id/x> a", ""]), encoding="utf-8")

    run = cli(command, "--root", tmp_path)

    assert run.returncode == 2
    assert run.stderr.startswith(f"error: data/{broken.name}, line {len(lines) + 1}: Turtle syntax error")
    assert run.stdout == ""
    assert not (tmp_path / "build").exists()


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    root = small_tree(tmp_path)
    shutil.rmtree(root / "shapes")

    run = cli("validate", "--root", root)

    assert (run.returncode, run.stderr.splitlines()[0]) == (
        2,
        f"error: shapes/: no Turtle (*.ttl) file under {root}/shapes",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--date", "2024-02-30"], "argument --date: not an ISO date (YYYY-MM-DD): '2024-02-30'"),
        (["publish"], "argument COMMAND: invalid choice: 'publish'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    run = cli(*args)

    assert run.returncode == 2
    assert message in run.stderr


def test_serve_without_a_release_exits_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "service", "serve"],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RELEASE_DIR": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 2
    assert run.stderr.startswith(f"error: no release in {tmp_path / 'none'}")


def test_help_documents_the_exit_codes() -> None:
    run = cli("--help")

    assert run.returncode == 0
    assert "exit codes:\n  0  success" in run.stdout
    assert "\n  1  validation failed" in run.stdout
    assert "\n  2  usage or input error" in run.stdout
    assert all(command in run.stdout for command in ("build", "validate", "serve"))
