// Counts the solutions of a SPARQL query that Comunica runs over one source URL (a dump read by HTTP), and
// prints the count; any error exits 1 with its message. Used by tests/test_comunica.py.
"use strict";
const { QueryEngine } = require("@comunica/query-sparql");

const [url, query] = process.argv.slice(2);
new QueryEngine()
  .queryBindings(query, { sources: [url] })
  .then((stream) => stream.toArray())
  .then((rows) => console.log(rows[0].get("n").value))
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
