"""Write a tiny random-weight llama-architecture GGUF (about 0.5 MB) so the real llama.cpp
load-and-generate path runs in tests without downloading anything.

Run as a script (`python -m tests.support.tiny_gguf PATH`) it writes the file and loads it once:
a malformed file makes llama.cpp abort the whole process, so the first load belongs in a child.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

EMBED, LAYERS, HEADS, KV_HEADS, FFN, CONTEXT = 64, 2, 4, 2, 128, 512
CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
WORDS = ["the", "a", "is", "hello", "world", "model", "tiny", "answer", "yes", "no", "paris",
         "weather", "city", "token", "gateway", "test"]  # fmt: skip


def vocabulary() -> tuple[list[str], list[int]]:
    """Specials, 256 byte tokens, then word pieces; every string unique (llama.cpp asserts)."""
    tokens = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
    types = [2, 3, 3, 3, 3]  # unknown, control …
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [6] * 256  # byte
    for word in WORDS:
        for piece in (f"▁{word}", word):
            tokens.append(piece)
            types.append(1)  # normal
    tokens += ["▁", "\n"]
    types += [1, 1]
    return tokens, types


def write(path: Path, seed: int = 7) -> Path:
    import gguf

    rng = np.random.default_rng(seed)
    tokens, types = vocabulary()
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(EMBED)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_dimension_count(EMBED // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(0)  # all F32
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * len(tokens))
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(4)  # <|im_end|> ends a turn
    writer.add_unk_token_id(0)
    writer.add_chat_template(CHATML)

    def tensor(name: str, *shape: int) -> None:
        writer.add_tensor(name, (rng.standard_normal(shape) * 0.02).astype(np.float32))

    kv = EMBED // HEADS * KV_HEADS
    tensor("token_embd.weight", len(tokens), EMBED)
    writer.add_tensor("output_norm.weight", np.ones(EMBED, dtype=np.float32))
    tensor("output.weight", len(tokens), EMBED)
    for i in range(LAYERS):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(EMBED, dtype=np.float32))
        tensor(f"blk.{i}.attn_q.weight", EMBED, EMBED)
        tensor(f"blk.{i}.attn_k.weight", kv, EMBED)
        tensor(f"blk.{i}.attn_v.weight", kv, EMBED)
        tensor(f"blk.{i}.attn_output.weight", EMBED, EMBED)
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(EMBED, dtype=np.float32))
        tensor(f"blk.{i}.ffn_gate.weight", FFN, EMBED)
        tensor(f"blk.{i}.ffn_up.weight", FFN, EMBED)
        tensor(f"blk.{i}.ffn_down.weight", EMBED, FFN)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def main() -> int:
    path = write(Path(sys.argv[1]))
    from llama_cpp import Llama

    model = Llama(model_path=str(path), n_ctx=256, verbose=False)
    answer = model.create_chat_completion(
        messages=[{"role": "user", "content": "hello"}], max_tokens=4
    )
    assert answer["choices"][0]["message"]["role"] == "assistant"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
