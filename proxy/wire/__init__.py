"""What the gateway says on the wire, shared by every layer of the request path: the one error
family and its OpenAI error JSON, SSE framing, why a call ended early, and a completion's two
spellings (whole and streamed). Imports nothing of the gateway above it."""
