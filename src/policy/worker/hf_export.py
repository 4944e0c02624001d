"""The hf backend's policy as a plain Hugging Face model folder: what transformers, vLLM and SGLang load as is.

The folder holds the weights (under LoRA merged into the base: no peft needed to load them), config.json with the KV
cache on, generation_config.json whose eos/pad are the tokenizer's, and the tokenizer with its chat template. Under
LoRA the adapter alone is also written to adapter/ (peft's format; its base is the model the run started from), for
servers that apply adapters to a base model. export.json names what was written.
"""
import copy
import json
import os

EXPORT_FORMAT_VERSION = 1
ADAPTER_DIR = "adapter"
MANIFEST_FILE = "export.json"


def _folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)


def save_pretrained(backend, folder, adapter=True):
    """Writes the backend's model and tokenizer to folder (adapter/ too under LoRA when adapter); returns what it
    wrote."""
    os.makedirs(folder, exist_ok=True)
    manifest_file = os.path.join(folder, MANIFEST_FILE)
    if os.path.exists(manifest_file):
        os.remove(manifest_file)  # until the new export is whole, the folder is not a valid one
    tok = backend.tokenizer
    adapter_dir = None
    if backend.lora:
        if adapter:
            adapter_dir = os.path.join(folder, ADAPTER_DIR)
            backend.model.save_pretrained(adapter_dir)
        # A merged copy: the live model keeps its adapter (and can go on training).
        model = copy.deepcopy(backend.model).merge_and_unload()
    else:
        model = backend.model
    use_cache = model.config.use_cache
    model.config.use_cache = True  # gradient checkpointing turns it off for training; inference wants the cache
    gen = model.generation_config
    saved_gen = (gen.eos_token_id, gen.pad_token_id, gen.bos_token_id)
    gen.eos_token_id, gen.pad_token_id = tok.eos_id, tok.pad_id
    if tok.bos_id is not None:
        gen.bos_token_id = tok.bos_id
    try:
        model.save_pretrained(folder)
    finally:
        model.config.use_cache = use_cache
        gen.eos_token_id, gen.pad_token_id, gen.bos_token_id = saved_gen
    tok.tok.save_pretrained(folder)
    manifest = {"format_version": EXPORT_FORMAT_VERSION, "backend": backend.name, "lora": backend.lora,
                "adapter": ADAPTER_DIR if adapter_dir else None, "eos_token_id": tok.eos_id,
                "pad_token_id": tok.pad_id, "dtype": str(backend.dtype).replace("torch.", "")}
    with open(manifest_file, "w") as f:  # written last: a folder with export.json is complete
        json.dump(manifest, f, indent=2)
    return {"path": folder, "adapter": adapter_dir, "bytes": _folder_bytes(folder), "files": sorted(os.listdir(folder))}
