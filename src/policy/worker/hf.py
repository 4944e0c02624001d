"""The hf backend: a Hugging Face causal LM and its tokenizer from a local folder (bf16 on CUDA, optional LoRA).

transformers (and peft for LoRA) are imported only when this backend is chosen. Prompts are rendered with the
tokenizer's chat template (add_generation_prompt=True). The KL reference is the base model with the LoRA adapter
disabled when LoRA is on, otherwise a frozen second copy of the model.
"""
import copy

import torch

_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class _Tokenizer:
    def __init__(self, tok):
        self.tok = tok
        if tok.eos_token_id is None:
            raise ValueError("the tokenizer has no eos_token_id")
        self.eos_id = tok.eos_token_id
        self.pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        self.bos_id = tok.bos_token_id

    def encode_prompt(self, messages):
        if getattr(self.tok, "chat_template", None):
            return list(self.tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True))
        raise ValueError("the tokenizer has no chat template; pick a model folder whose tokenizer_config.json has one")

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
        if not params["model"]:
            raise ValueError("the hf backend needs model: a local folder with config.json, weights and tokenizer")
        cuda = torch.cuda.is_available()
        self.device = torch.device(params["device"] or ("cuda" if cuda else "cpu"))
        dtype = _DTYPES[params["dtype"] or ("bfloat16" if self.device.type == "cuda" else "float32")]
        self.dtype = dtype
        self.tokenizer = _Tokenizer(AutoTokenizer.from_pretrained(params["model"]))
        model = AutoModelForCausalLM.from_pretrained(params["model"], torch_dtype=dtype)
        model.to(self.device)
        self.max_seq_len = getattr(model.config, "max_position_embeddings", None)
        self.lora = params["lora"] is not None
        if params["gradient_checkpointing"]:
            model.gradient_checkpointing_enable()
            model.config.use_cache = False
            if self.lora:
                model.enable_input_require_grads()  # checkpointed blocks need a grad-requiring input under LoRA
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
        self.reference = None
        self.want_reference = params["reference"]
        if self.want_reference and not self.lora:
            self.reference = AutoModelForCausalLM.from_pretrained(params["model"], torch_dtype=dtype).to(self.device)
            self.reference.eval().requires_grad_(False)

    def forward(self, input_ids, attention_mask, past=None):
        positions = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)[:, -input_ids.shape[1]:]
        training = torch.is_grad_enabled()
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
        if self.reference is not None:
            self.reference.load_state_dict(self.model.state_dict())

    def reference_forward(self, input_ids, attention_mask):
        positions = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        with torch.no_grad():
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
        self.model.load_state_dict(sd, strict=not self.lora)

    def onnx_module(self):
        # Merging a copy keeps the live adapter training; the export holds plain merged weights.
        model = copy.deepcopy(self.model).merge_and_unload() if self.lora else self.model

        class Wrapper(torch.nn.Module):
            def __init__(self, m):
                super().__init__()
                self.m = m

            def forward(self, input_ids):
                return self.m(input_ids=input_ids, use_cache=False).logits

        return Wrapper(model), torch.tensor([[self.tokenizer.eos_id, self.tokenizer.eos_id]])

    def describe(self):
        total = sum(p.numel() for p in self.model.parameters())
        trainable = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        return {"backend": "hf", "parameters": total, "trainable_parameters": trainable,
                "vocab": len(self.tokenizer.tok), "max_seq_len": self.max_seq_len, "device": str(self.device),
                "dtype": str(self.dtype).replace("torch.", "")}
