"""The routes, grouped by what they serve: things and their documents (`things`), the SPARQL endpoint (`sparql`) and
the service's self-description (`about`: home, VoID, catalogue, dumps, sitemap, health, OpenAPI). `about` may use
`things` (the charts); nothing here imports another package of `routes` otherwise."""
