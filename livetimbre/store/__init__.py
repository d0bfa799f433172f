"""The artifact store (AETHER layer 7): SQLite metadata in WAL mode and content-addressed
blobs named by their SHA-256, written atomically and in order (blob, then row)."""

from livetimbre.store.export import export_artifact
from livetimbre.store.ids import check_artifact_id, check_file_stem, new_id
from livetimbre.store.records import Artifact
from livetimbre.store.store import Store
from livetimbre.store.verify import GcReport, VerifyReport, gc, verify

__all__ = ["Artifact", "GcReport", "Store", "VerifyReport", "check_artifact_id",
           "check_file_stem", "export_artifact", "gc", "new_id", "verify"]
