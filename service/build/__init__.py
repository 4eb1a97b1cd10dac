"""The release build (`python -m service build`): load ontology/, data/ and shapes/, expand provenance, validate with
SHACL, and write a reproducible, verified release (dumps, JSON-LD context, manifest) switched in atomically.
Only the command line imports it: the web side reads what it wrote through `service.publication`."""
