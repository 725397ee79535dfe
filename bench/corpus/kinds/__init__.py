"""One module per kind of text people paste into prompts."""
