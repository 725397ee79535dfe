"""The gateway's configuration: the YAML file's models, sections, providers and keys."""
