"""Things and the documents about them: `/id/…` answering 303 to `/doc/…`, documents in every negotiated format, the
ontology and shapes pages (`/def/…`), named graphs and the Graph Store Protocol, search by name, and the charts
of the contract's money."""
