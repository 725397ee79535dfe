"""The `metaqore` subcommands other than `serve`, one module each."""
