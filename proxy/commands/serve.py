"""`metaqore serve`: the gateway under uvicorn, one process or several workers."""

from __future__ import annotations

import argparse
import copy
import logging.config
import os
from typing import Any

import uvicorn
import uvicorn.config
from uvicorn.supervisors import Multiprocess

from proxy.config.gateway_config import CONFIG_ENV_VAR, ConfigError, load_config
from proxy.edge import QueryDropped, edge_config
from proxy.http.app import create_app

__all__ = ["add_serve_command"]


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--config", default="gateway.yaml", help="config file (gateway.yaml)")
    serve.add_argument("--host", help="bind address (default: server.host from config)")
    serve.add_argument("--port", type=int, help="port (default: server.port from config)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    loaded = load_config(args.config)  # fail before binding the port
    if args.workers > 1 and loaded.config.evidence.writer_id is not None:
        # One chain is written by one process: a second would fork it.
        raise ConfigError(
            "evidence.writer_id names one process's chain; with --workers, leave it unset "
            "(each worker then writes a chain of its own)"
        )
    log_config = _log_config(loaded.config.telemetry.log_format == "json")
    logging.config.dictConfig(log_config)
    server = loaded.config.server
    options: dict[str, Any] = {
        "log_level": "info",
        # The gateway ends the calls still running just before this (proxy/http/graceful_stop.py).
        "timeout_graceful_shutdown": server.shutdown_grace_s,
        "log_config": log_config,  # applied again inside every worker process
    }
    if args.host:
        options["host"] = args.host
    if args.port is not None:
        options["port"] = args.port
    if args.workers > 1:
        # Workers import the app themselves; they find the file through the environment.
        os.environ[CONFIG_ENV_VAR] = os.path.abspath(args.config)
        config = edge_config(
            "proxy.http.app:app_from_env", server, factory=True, workers=args.workers, **options
        )
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    runner = uvicorn.Server(edge_config(create_app(loaded), server, **options))
    runner.run()
    return 0 if runner.started else 3


def _log_config(json_lines: bool) -> dict[str, Any]:
    """uvicorn's logging plus the gateway's own `metaqore` loggers, one line per record (a
    JSON object each with `json_lines`)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["metaqore"] = {"format": "%(levelname)s %(name)s: %(message)s"}
    if json_lines:
        for name in ("metaqore", "default", "access"):
            config["formatters"][name] = {"()": "proxy.telemetry.json_logs.JsonLines"}
        # Libraries' own warnings (the trace exporter's, say) in the same shape.
        config["root"] = {"handlers": ["metaqore"], "level": "WARNING"}
    config["handlers"]["metaqore"] = {
        "class": "logging.StreamHandler",
        "formatter": "metaqore",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["metaqore"] = {"handlers": ["metaqore"], "level": "INFO", "propagate": False}
    # A query string may carry a key (`?api-key=`): the access log gets the path alone.
    config.setdefault("filters", {})["query_dropped"] = {"()": QueryDropped}
    config["handlers"]["access"]["filters"] = ["query_dropped"]
    return config
