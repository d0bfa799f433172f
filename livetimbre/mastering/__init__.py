"""Mastering: loudness normalisation, a true-peak-safe limiter, and QA figures."""

from livetimbre.mastering.master import MasterResult, master

__all__ = ["MasterResult", "master"]
