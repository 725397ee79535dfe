"""Write the second held-out evaluation corpus, bench/holdout2/holdout2_eval.jsonl.

Written from the finding-type definitions alone, without reading the scanner's detectors or the
other corpora. Standard library only; the output depends on SEED alone:

    python bench/make_holdout2_corpus.py            # writes the file
    python bench/make_holdout2_corpus.py --check    # exits 1 if the file differs from the seed's

Each line: {"text", "kind", "entities": [{"type", "start", "end"}], "spans": (the same list, the
key bench/score_realistic.py reads)}, spans on Python string offsets. Every span is checked
against the value inserted, and every card, IBAN and SSN against its checksum or issuing rules,
before the file is written.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from holdout2_gen import prose, structured, techtext
from holdout2_gen import values as v
from holdout2_gen.doc import Ctx, Doc, render

SEED = 20261206
PER_KIND = 220
OUT = Path(__file__).resolve().parent / "holdout2" / "holdout2_eval.jsonl"

KINDS = {
    "chat": prose.chat,
    "support": prose.support,
    "log": techtext.log,
    "csv": lambda r: structured.table(r, "csv"),
    "tsv": lambda r: structured.table(r, "tsv"),
    "markdown": lambda r: structured.table(r, "md"),
    "json": structured.json_doc,
    "config": structured.config,
    "code": techtext.code,
    "clinical": prose.clinical,
    "invoice": prose.invoice,
    "hr": prose.hr,
    "email": prose.email_msg,
    "i18n": prose.i18n,
}

NOISE = [
    "Build [[VER]] went out at [[TS]] (commit [[SHA]]).",
    "Ref: [[UUID]]",
    "Order [[ORDER]], tracking [[TRACK]], invoice [[INVNO]].",
    "Quick check: [[ARITH]].",
    "It works on [[IPNEG]] but not from outside.",
    "Card on file: [[MASKCARD]].",
    "ISBN [[ISBN]], shipping to ZIP [[ZIP4]].",
    "Uptime counter [[EPOCH]], [[N5]] events, [[PCT]] dropped.",
    "Account status reviewed on [[DATEEN]] by [[NAME2]].",
    "Provider NPI [[NPI]] on the claim form.",
    "Don't put the real key in docs, use [[PLACEHOLDER]].",
    "Reference number [[BADCARD]] (not a card, our legacy order id).",
]

PROSE = {"chat", "support", "clinical", "invoice", "hr", "email", "i18n"}


def _checked(text: str, ents: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    last_end = -1
    for e in sorted(ents, key=lambda e: (e["start"], e["end"])):
        s, t, val, typ = int(e["start"]), int(e["end"]), str(e["value"]), str(e["type"])
        assert text[s:t] == val, (typ, val, text[s:t])
        assert s >= last_end, ("overlap", typ, val)
        last_end = t
        if typ == "CREDIT_CARD":
            digits = re.sub(r"[ -]", "", val)
            assert digits.isdigit() and v.luhn_ok(digits), val
        elif typ == "IBAN":
            assert v.iban_valid(val), val
        elif typ == "US_SSN":
            d = re.sub(r"[ -]", "", val)
            assert len(d) == 9 and d[:3] not in ("000", "666") and d[0] != "9", val
            assert d[3:5] != "00" and d[5:] != "0000", val
        out.append({"type": typ, "start": s, "end": t})
    return out


def build(seed: int = SEED, per_kind: int = PER_KIND) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for kind, make in KINDS.items():
        for _ in range(per_kind):
            doc: Doc = make(rng)
            if kind in PROSE and rng.random() < 0.3:
                doc.t(v.pick(rng, [" ", "\n", "\n\n", " — "]))
                render(doc, Ctx(rng), v.pick(rng, NOISE))
            text = doc.text()
            ents = _checked(text, doc.ents)
            # "spans" repeats "entities": the key bench/score_realistic.py reads.
            rows.append({"text": text, "kind": kind, "entities": ents, "spans": ents})
    return rows


def dumps(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the file instead of writing")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data = dumps(build())
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == data
        print("up to date" if same else "differs from the seed's output")
        sys.exit(0 if same else 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(data, encoding="utf-8")
    print(f"wrote {args.out} ({data.count(chr(10))} texts)")


if __name__ == "__main__":
    main()
