"""How a linked record is written in a spool file: one line, final as the store will hold it.

    seq TAB request_id TAB ts TAB prev_hash TAB hash TAB canonical-record LF

The writer id is the spool directory's name. Canonical records are orjson without whitespace,
so they hold no raw tab or line feed; the request id is checked printable when it is linked.
A line is written whole by one write(); only a power loss can leave a torn one, at the end of
a file, and it is not read.
"""

from __future__ import annotations

from governance.evidence.record import StoredRecord

__all__ = ["SpoolCorrupt", "decode_rows", "encode_row"]


class SpoolCorrupt(Exception):
    """A spool line that is not a row: the file was edited or the disk failed."""


def encode_row(seq: int, request_id: str, ts: str, prev: str, digest: str, record: bytes) -> bytes:
    return b"%d\t%s\t%s\t%s\t%s\t%s\n" % (
        seq, request_id.encode(), ts.encode(), prev.encode(), digest.encode(), record,
    )  # fmt: skip


def decode_rows(writer_id: str, lines: list[bytes], where: str) -> list[StoredRecord]:
    rows = []
    for line in lines:
        parts = line.split(b"\t", 5)
        try:
            seq, request_id, ts, prev, digest, record = parts
            rows.append(
                StoredRecord(
                    writer_id, int(seq), request_id.decode(), ts.decode(), record.decode(),
                    prev.decode(), digest.decode(),
                )
            )  # fmt: skip
        except ValueError:  # a wrong field count, a seq that is no number, bytes not UTF-8
            raise SpoolCorrupt(f"{where}: a line that is not an evidence row") from None
    return rows
