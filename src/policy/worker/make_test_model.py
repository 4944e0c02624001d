"""Makes a small real Hugging Face causal LM folder with no download: the hf backend's test model.

`python make_test_model.py --out DIR [--seed N] [--vocab-size N] [--layers N] [--hidden N] [--corpus DIR ...]`

The defaults (4 layers, hidden 256, 2,048 tokens) give about 4.5M parameters; the CPU tests ask for 2 layers,
hidden 64 and 1,024 tokens (about 0.19M) to stay fast on two cores.

A Qwen2-architecture model (Qwen2Config / Qwen2ForCausalLM) with random weights drawn from the seed, and a byte-level
BPE tokenizer trained here with the `tokenizers` library on text the project ships (the bundled tasks' code and
patches) plus a built-in sample of SWE-agent tool calls, so code and `<function=...>` calls tokenize compactly.
Special tokens and the chat template follow Qwen's ChatML: <|im_start|>ROLE\\n...<|im_end|>\\n, <|im_end|> is EOS,
<|endoftext|> pads. Everything is written with save_pretrained, so AutoTokenizer / AutoModelForCausalLM load it and
apply_chat_template works. The same arguments and corpus give the same folder. Prints one JSON line describing it.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = [os.path.normpath(os.path.join(HERE, "..", "..", "..", "tasks"))]
CORPUS_EXTS = (".py", ".patch", ".md", ".yaml", ".yml", ".ts", ".cfg", ".toml", ".txt", ".json")

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

# SWE-agent style calls and the SRL response layout, so the tokenizer has merges for the action format.
_FILES = ["a.py", "b.txt", "main.c", "util.py", "setup.cfg", "app.js", "x.md", "io.rs", "lib.go", "run.sh"]
_CMDS = ["ls", "cat", "wc -l", "head", "grep -n foo", "grep -n bar", "python -m pytest -q", "git diff", "find . -name"]


def builtin_text():
    """The built-in part of the corpus: tool calls, thoughts and chat turns in the project's formats."""
    out = []
    for i, f in enumerate(_FILES):
        for c in _CMDS:
            out.append(f"<think>I should look at {f} first.</think>\n"
                       f"<function=bash>\n<parameter=command>{c} {f}</parameter>\n</function>")
        out.append(f"<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n"
                   f"<parameter=path>/repo/src/{f}</parameter>\n<parameter=old_str>x = {i}</parameter>\n"
                   f"<parameter=new_str>x = {i + 1}</parameter>\n</function>")
        out.append(f"<function=str_replace_editor>\n<parameter=command>view</parameter>\n"
                   f"<parameter=path>/repo/{f}</parameter>\n</function>")
        out.append("<function=submit>\n</function>")
        out.append(f"<|im_start|>user\nshow {f}<|im_end|>\n<|im_start|>assistant\n")
    return "\n".join(out)


def corpus_texts(dirs):
    """The corpus files' text, in a fixed (sorted) order so the tokenizer is the same on every machine."""
    texts = []
    for d in dirs:
        if not os.path.isdir(d):
            raise SystemExit(f"make_test_model: corpus folder {d} does not exist; pass --corpus with a folder of text")
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for name in sorted(files):
                if name.endswith(CORPUS_EXTS):
                    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
                        texts.append(fh.read())
    texts.append(builtin_text())
    return texts


def train_tokenizer(texts, vocab_size):
    """A byte-level BPE tokenizer (GPT-2/Qwen style pre-tokenization) trained on texts, wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   additional_special_tokens=["<|im_start|>"], chat_template=CHAT_TEMPLATE,
                                   model_max_length=1 << 30, clean_up_tokenization_spaces=False)


def make(o):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.set_num_threads(1)
    tokenizer = train_tokenizer(corpus_texts(o.corpus or DEFAULT_CORPUS), o.vocab_size)
    heads = max(1, o.hidden // 32)
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=o.hidden, intermediate_size=o.hidden * 4,
        num_hidden_layers=o.layers, num_attention_heads=heads, num_key_value_heads=max(1, heads // 2),
        max_position_embeddings=o.max_positions, tie_word_embeddings=True, rope_theta=10000.0,
        bos_token_id=None, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(o.seed)
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    os.makedirs(o.out, exist_ok=True)
    model.save_pretrained(o.out)
    tokenizer.save_pretrained(o.out)
    return {"out": os.path.abspath(o.out), "parameters": sum(p.numel() for p in model.parameters()),
            "vocab_size": len(tokenizer), "layers": o.layers, "hidden": o.hidden, "seed": o.seed,
            "eos_token_id": tokenizer.eos_token_id, "pad_token_id": tokenizer.pad_token_id}


def parse(argv):
    ap = argparse.ArgumentParser(description="Make a small random Qwen2-architecture model folder with a BPE tokenizer.")
    ap.add_argument("--out", required=True, help="folder to write (created)")
    ap.add_argument("--seed", type=int, default=0, help="weight initialisation seed")
    ap.add_argument("--vocab-size", type=int, default=2048, help="BPE vocabulary size, special tokens included")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256, help="hidden size (a multiple of 32: heads of 32)")
    ap.add_argument("--max-positions", type=int, default=2048, help="max_position_embeddings")
    ap.add_argument("--corpus", action="append", help="folder of text for the tokenizer (repeatable; default tasks/)")
    o = ap.parse_args(argv)
    if o.hidden < 32 or o.hidden % 32:
        ap.error(f"--hidden must be a positive multiple of 32, got {o.hidden}")
    if o.vocab_size < 300:
        ap.error(f"--vocab-size must be at least 300 (256 bytes + specials + merges), got {o.vocab_size}")
    if o.layers < 1:
        ap.error(f"--layers must be at least 1, got {o.layers}")
    return o


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    print(json.dumps(make(parse(sys.argv[1:]))), flush=True)
