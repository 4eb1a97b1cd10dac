"""The store adapters behind one narrow `Store` interface: the embedded pyoxigraph store, a remote SPARQL 1.1 store
(Virtuoso, Oxigraph server, Fuseki…) and how a release is loaded into it, and the supervised pool of sandboxed
query processes that runs client queries out of the web workers. Also the lexical scan and IRI check that run
before a store parses anything."""
