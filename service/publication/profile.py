"""The dataset profile as a release carries it: what names the dataset (titles, publisher, coverage, licence, root)
and which IRIs of its URI space are retired, with what replaces each.

The build reads it from the dataset's own DCAT/VoID description (``service.build.profile``) and writes it into
the manifest; the service reads it from there, moved to its public base (:meth:`DatasetProfile.rebased`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

Texts = dict[str, str]  # language tag -> text


@dataclass(frozen=True)
class Agent:
    """Who publishes the dataset, or whom to contact about it: a name per language and a web page."""

    iri: str
    name: Texts
    page: str


@dataclass(frozen=True)
class Licence:
    iri: str
    title: Texts
    identifier: str
    kind: str  # dct:type, e.g. ADMS's Attribution licence type


@dataclass(frozen=True)
class Place:
    iri: str
    label: Texts


@dataclass(frozen=True)
class Period:
    """Temporal coverage as written (lexical forms) with the datatype IRI of both ends (xsd:gYear…)."""

    start: str
    end: str
    datatype: str


@dataclass(frozen=True)
class DatasetProfile:
    """Everything that names this dataset, as the service publishes it (IRIs under the canonical base)."""

    base: str  # the canonical base: void:uriSpace without the things segment
    dataset: str
    name: Texts  # rdfs:label: the short name of every page title and the menu
    title: Texts
    description: Texts
    keywords: dict[str, list[str]]
    publisher: Agent
    contact: Agent
    licence: Licence
    spatial: Place
    temporal: Period | None
    root: str  # void:rootResource, the contract
    uri_space: str
    # Retired IRI -> its successor (dct:isReplacedBy): IRIs an earlier release minted, answered by 301, never reused.
    replaced_by: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, fields: dict[str, Any]) -> DatasetProfile:
        """The profile a manifest holds (see :meth:`to_json`)."""
        temporal = fields.get("temporal")
        return cls(
            **{
                **fields,
                "publisher": Agent(**fields["publisher"]),
                "contact": Agent(**fields["contact"]),
                "licence": Licence(**fields["licence"]),
                "spatial": Place(**fields["spatial"]),
                "temporal": Period(**temporal) if temporal else None,
            }
        )

    def rebased(self, public: str) -> DatasetProfile:
        """The same profile with every IRI under the canonical base moved under ``public``."""

        def move(iri: str) -> str:
            return public + iri[len(self.base) :] if iri.startswith(self.base) else iri

        def agent(who: Agent) -> Agent:
            return replace(who, iri=move(who.iri), page=move(who.page))

        return replace(
            self,
            base=public,
            dataset=move(self.dataset),
            publisher=agent(self.publisher),
            contact=agent(self.contact),
            root=move(self.root),
            uri_space=move(self.uri_space),
            replaced_by={move(retired): move(successor) for retired, successor in self.replaced_by.items()},
        )
