"""What a release is, shared by the build and the web side: its namespaces and IRI layout, the formats it is
written in (one record per format), its manifest, its reproducible serialisations, and the verified release as
an instance serves it (`published`). It imports nothing else of the service but `config` and `errors`."""
