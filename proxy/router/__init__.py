"""The HyPIE router: which backends may serve a call, and in what order they are tried."""
