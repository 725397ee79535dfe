"""Generators of values: valid ones to label, and look-alikes that are not findings."""
