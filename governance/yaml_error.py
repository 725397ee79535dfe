"""A YAML syntax error as the one line a person needs: file, line, column, problem."""

from __future__ import annotations

import yaml

__all__ = ["describe_yaml_error"]


def describe_yaml_error(path: object, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    problem = getattr(exc, "problem", None) or type(exc).__name__
    return f"{path}: not valid YAML{where}: {problem}"
