"""The HTTP layer every route stands on: content negotiation, negotiated and conditional responses, the rendering
of errors, compression, security headers, request bodies, the whole-response cache and its byte budget, the
reader's language and page furniture, and what one running app holds (`state`)."""
