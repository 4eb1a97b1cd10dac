"""The HTTP layer every route stands on: content negotiation, negotiated and conditional responses, the rendering
of errors, compression, security headers, request bodies, the whole-response cache, what an app keeps in memory
(`cache`: its byte budget and the values built once), the reader's language and page furniture, and what one
running app holds (`state`)."""
