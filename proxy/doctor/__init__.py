"""`metaqore doctor`: a config and its surroundings checked before serving, one finding each."""

from proxy.doctor.finding import Finding
from proxy.doctor.run import run_doctor

__all__ = ["Finding", "run_doctor"]
