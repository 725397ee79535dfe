"""The HTTP edge: reading request bodies strictly, before any stage sees them."""
