"""The hf backend: a Hugging Face causal LM and its tokenizer from a local folder (bf16 on CUDA, optional LoRA).

transformers (and peft for LoRA) are imported only when this backend is chosen. Prompts are rendered with the
tokenizer's chat template (add_generation_prompt=True). The KL reference is the run's start: the model folder's
weights, or the weights of a checkpoint loaded with reference=True (init_from). Under LoRA it is the base model with
the adapter disabled, or with the reference adapter swapped in once a checkpoint set one; otherwise a frozen copy.
Everything loads from the local folder only (local_files_only): a wrong path fails at once instead of reaching for
the Hub.
"""
import copy
import os

import torch

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json")


def check_model_folder(folder):
    """Fails with the fix when policy.model is not a local model folder with a tokenizer."""
    if not os.path.isdir(folder):
        raise ValueError(f"policy.model {folder!r} is not a folder: point it at a local Hugging Face model folder "
                         "(config.json, weights, tokenizer files), e.g. one made by swe-srl policy make-test-model")
    if not os.path.exists(os.path.join(folder, "config.json")):
        raise ValueError(f"policy.model {folder!r} has no config.json: it is not a Hugging Face model folder "
                         "(save one with save_pretrained, or make one with swe-srl policy make-test-model)")
    if not any(os.path.exists(os.path.join(folder, f)) for f in _TOKENIZER_FILES):
        raise ValueError(f"policy.model {folder!r} has no tokenizer files ({', '.join(_TOKENIZER_FILES)}): save the "
                         "model's tokenizer there too (tokenizer.save_pretrained(folder))")


class _Tokenizer:
    def __init__(self, tok, folder):
        self.tok = tok
        self.folder = folder
        if tok.eos_token_id is None:
            raise ValueError(f"the tokenizer of policy.model {folder!r} has no eos_token: set eos_token in its "
                             "tokenizer_config.json (ChatML models: <|im_end|>)")
        if not getattr(tok, "chat_template", None):
            raise ValueError(f"the tokenizer of policy.model {folder!r} has no chat template: add one "
                             "(chat_template.jinja, or chat_template in tokenizer_config.json), e.g. copy the "
                             "instruct model's; prompts are rendered with it")
        self.eos_id = tok.eos_token_id
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        self.bos_id = tok.bos_token_id

    def encode_prompt(self, messages):
        out = self.tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if hasattr(out, "keys"):  # transformers 5 returns a BatchEncoding; 4.x a list of ids
            out = out["input_ids"]
        return list(out)

    def encode_text(self, text):
        return list(self.tok.encode(text, add_special_tokens=False))

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=True)


class HfBackend:
    name = "hf"

    def __init__(self, params):
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as e:
            raise RuntimeError(f"the hf backend needs the transformers package for {__import__('sys').executable}: {e}")
        folder = params["model"]
        if not folder:
            raise ValueError("the hf backend needs policy.model: a local folder with config.json, weights and tokenizer")
        check_model_folder(folder)
        cuda = torch.cuda.is_available()
        self.device = torch.device(params["device"] or ("cuda" if cuda else "cpu"))
        dtype = _DTYPES[params["dtype"] or ("bfloat16" if self.device.type == "cuda" else "float32")]
        self.dtype = dtype
        try:
            tok = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        except (OSError, ValueError) as e:
            raise ValueError(f"the tokenizer of policy.model {folder!r} does not load: {e}") from e
        self.tokenizer = _Tokenizer(tok, folder)
        try:
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, local_files_only=True)
        except (OSError, ValueError) as e:
            raise ValueError(f"the model in policy.model {folder!r} does not load: {e}") from e
        model.to(self.device)
        self.max_seq_len = getattr(model.config, "max_position_embeddings", None)
        self.lora = params["lora"] is not None
        self.want_reference = params["reference"]
        self.reference = None
        self.reference_adapter = None  # LoRA: adapter tensors of the reference, once a load sets one
        if self.want_reference and not self.lora:
            self.reference = copy.deepcopy(model).eval().requires_grad_(False)
        if params["gradient_checkpointing"]:
            # Non-reentrant checkpointing needs no grad-requiring input (LoRA freezes the embeddings).
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if self.lora:
            try:
                from peft import LoraConfig, get_peft_model
            except ImportError as e:
                raise RuntimeError(f"lora needs the peft package: {e}")
            lc = params["lora"]
            model = get_peft_model(model, LoraConfig(r=lc["r"], lora_alpha=lc["alpha"], lora_dropout=lc["dropout"],
                                                     target_modules=lc["target_modules"], task_type="CAUSAL_LM"))
        self.model = model
        self.model.train()

    def forward(self, input_ids, attention_mask, past=None):
        positions = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)[:, -input_ids.shape[1]:]
        training = torch.is_grad_enabled()
        # Train mode only for gradient steps: in train mode a checkpointed model drops its KV cache (and dropout runs).
        if self.model.training != training:
            self.model.train(training)
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=positions,
                         past_key_values=past, use_cache=not training)
        return out.logits, (None if training else out.past_key_values)

    def select_past(self, past, index):
        """The cache with row i copied from row index[i]; a transformers Cache reorders its layers in place."""
        if hasattr(past, "reorder_cache"):
            past.reorder_cache(index)
            return past
        return tuple(tuple(t.index_select(0, index) for t in layer) for layer in past)  # legacy tuple caches

    def has_reference(self):
        return self.want_reference

    def reset_reference(self):
        """The current weights become the KL reference (engine.load with reference=True: the run's start)."""
        if not self.want_reference:
            return
        if self.lora:
            self.reference_adapter = {k: v.detach().clone() for k, v in self.state_dict().items()}
        else:
            self.reference.load_state_dict(self.model.state_dict())

    def _swap_adapter(self, tensors):
        """Copies tensors into the live adapter and returns what was there."""
        live = dict(self.model.named_parameters())
        before = {}
        with torch.no_grad():
            for k, v in tensors.items():
                before[k] = live[k].detach().clone()
                live[k].copy_(v)
        return before

    def reference_forward(self, input_ids, attention_mask):
        positions = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        self.model.eval()  # the reference never runs dropout; the next forward() sets the mode it needs
        with torch.no_grad():
            if self.lora and self.reference_adapter is not None:
                live = self._swap_adapter(self.reference_adapter)
                try:
                    return self.model(input_ids=input_ids, attention_mask=attention_mask,
                                      position_ids=positions, use_cache=False).logits
                finally:
                    self._swap_adapter(live)
            if self.lora:
                with self.model.disable_adapter():
                    return self.model(input_ids=input_ids, attention_mask=attention_mask,
                                      position_ids=positions, use_cache=False).logits
            return self.reference(input_ids=input_ids, attention_mask=attention_mask, position_ids=positions,
                                  use_cache=False).logits

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        # Under LoRA only the adapter trains: saving the trainable tensors keeps checkpoints small.
        if self.lora:
            names = {n for n, p in self.model.named_parameters() if p.requires_grad}
            return {k: v for k, v in self.model.state_dict().items() if k in names}
        return self.model.state_dict()

    def load_state_dict(self, sd):
        if not self.lora:
            self.model.load_state_dict(sd)
            return
        # Under LoRA a checkpoint holds the adapter only: every adapter tensor must be there, and nothing else.
        want = set(self.state_dict())
        missing, extra = sorted(want - set(sd)), sorted(set(sd) - want)
        if missing or extra:
            raise ValueError(f"the checkpoint does not match this LoRA adapter: {len(missing)} adapter tensors "
                             f"missing (e.g. {missing[:2]}), {len(extra)} unexpected (e.g. {extra[:2]}); load it "
                             "with the policy.lora settings it was trained with")
        self.model.load_state_dict(sd, strict=False)

    def onnx_module(self):
        """The KV-cache step module engine.export_onnx traces (over a float32 CPU copy), and its cache shape."""
        from hf_onnx import onnx_module

        return onnx_module(self)

    def save_onnx_tokenizer(self, folder):
        """tokenizer.json and tokenizer_config.json (chat template inline) for the onnx backend."""
        from hf_onnx import save_tokenizer

        return save_tokenizer(self.tokenizer.tok, folder)

    def save_hf(self, folder, adapter):
        """A plain Hugging Face model folder of the policy (merged under LoRA; adapter/ too when asked)."""
        from hf_export import save_pretrained

        return save_pretrained(self, folder, adapter)

    def describe(self):
        total = sum(p.numel() for p in self.model.parameters())
        trainable = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        return {"backend": "hf", "parameters": total, "trainable_parameters": trainable,
                "vocab": len(self.tokenizer.tok), "max_seq_len": self.max_seq_len, "device": str(self.device),
                "dtype": str(self.dtype).replace("torch.", "")}
