"""The one-screen summary printed after a build."""

from __future__ import annotations

from service.build.summary import summary
from service.publication.manifest import FileEntry, Manifest, Validation
from service.publication.profile import Agent, DatasetProfile, Licence, Place

BASE = "https://data.example.org/"


def test_the_summary_shows_counts_sources_validation_and_files() -> None:
    manifest = Manifest(
        version="1.0.0",
        date="2026-01-01",
        base="https://cper-hdf.example/",
        graphs={"data": "https://cper-hdf.example/graph/data", "ontology": "https://cper-hdf.example/graph/ontology"},
        triples={"total": 12345, "data": 12000, "ontology": 345},
        entities={"cper:Axis": 6, "cper:PlanContract": 3, "foaf:Document": 28},
        sources=28,
        validation=Validation(conforms=True, violations=0, warnings=2, infos=0),
        files=(
            FileEntry("a.nt", "application/n-triples", 1000, "0" * 64),
            FileEntry("b.ttl", "text/turtle", 500, "1" * 64),
        ),
        profile=DatasetProfile(
            base=BASE,
            dataset=BASE + "catalog#dataset",
            name={"en": "A dataset"},
            title={"en": "A dataset"},
            description={"en": "What it holds."},
            keywords={"en": ["plan"]},
            publisher=Agent(BASE + "catalog#publisher", {"en": "A publisher"}, BASE),
            contact=Agent(BASE + "catalog#contact", {"en": "A publisher"}, BASE),
            licence=Licence("https://example.org/licence", {"en": "A licence"}, "L-1.0", "https://example.org/open"),
            spatial=Place("https://example.org/place", {"en": "A place"}),
            temporal=None,
            root=BASE + "id/contract/a",
            uri_space=BASE + "id/",
        ),
    )

    assert summary(manifest) == (
        "Release 1.0.0 of 2026-01-01 (canonical base https://cper-hdf.example/)\n"
        "Triples: 12,345 (data 12,000, ontology 345)\n"
        "Entities per class:\n"
        "  cper:Axis             6   cper:PlanContract     3\n"
        "  foaf:Document        28\n"
        "Distinct sources cited (dct:source): 28\n"
        "Validation: conforms (0 violations, 2 warnings, 0 infos)\n"
        "Files: 2, 1,500 bytes\n"
    )
