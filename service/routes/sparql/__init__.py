"""The SPARQL 1.1 endpoint: requests read by `protocol`, queries run by the store (the query pool for the embedded
store), answers shaped for the clients that read them, and the query page for browsers."""
