"""Governance logic (sensitivity, policy, compliance, evidence); no web framework, no I/O
except in the evidence stores."""
