"""Backends behind one protocol (base.py); build.py turns a config entry into its provider."""
