"""MetaQore Gateway: the HTTP side (ASGI app, stages, router, providers)."""
