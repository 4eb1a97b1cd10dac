"""Serving in production: granian's multi-process server made to replace dead workers forever (`workers`), under
a supervisor that restarts granian itself (`serve`)."""
