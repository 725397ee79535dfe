"""A text under construction, the labelled spans in it, and the sample it becomes."""

from __future__ import annotations

from dataclasses import dataclass, field

EMAIL = "EMAIL"
PHONE = "PHONE"
US_SSN = "US_SSN"
CREDIT_CARD = "CREDIT_CARD"
IBAN = "IBAN"
IP_ADDRESS = "IP_ADDRESS"
SECRET = "SECRET"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
MEDICAL_RECORD_NUMBER = "MEDICAL_RECORD_NUMBER"

TYPES = (
    EMAIL,
    PHONE,
    US_SSN,
    CREDIT_CARD,
    IBAN,
    IP_ADDRESS,
    SECRET,
    DATE_OF_BIRTH,
    MEDICAL_RECORD_NUMBER,
)


@dataclass(frozen=True)
class Piece:
    """A run of text; `type` names the finding it is, None for plain text (or a decoy)."""

    text: str
    type: str | None = None


def labelled(type_: str, text: str) -> Piece:
    if type_ not in TYPES:
        raise ValueError(f"unknown finding type {type_!r}")
    return Piece(text, type_)


def plain(text: str) -> Piece:
    return Piece(text)


@dataclass(frozen=True)
class Span:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Sample:
    kind: str
    text: str
    spans: tuple[Span, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "spans": [{"type": s.type, "start": s.start, "end": s.end} for s in self.spans],
        }


@dataclass
class Document:
    """Appends pieces, keeping each labelled piece's offsets in the finished text."""

    parts: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    length: int = 0

    def add(self, piece: Piece | str) -> None:
        if isinstance(piece, str):
            piece = plain(piece)
        if piece.type is not None:
            if not piece.text or piece.text != piece.text.strip():
                raise ValueError(f"a labelled value must be trimmed: {piece.text!r}")
            self.spans.append(Span(piece.type, self.length, self.length + len(piece.text)))
        self.parts.append(piece.text)
        self.length += len(piece.text)

    def sample(self, kind: str) -> Sample:
        return Sample(kind, "".join(self.parts), tuple(self.spans))
