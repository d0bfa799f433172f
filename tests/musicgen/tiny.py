"""Tiny random-weight models, built entirely in code, saved the way real checkpoints are:

- a MusicGen (T5 text encoder, EnCodec audio codec at 32 kHz / 50 Hz, decoder with as many
  codebooks as EnCodec has quantizers), with a T5 tokenizer built from a `tokenizers`
  Unigram model, saved with `save_pretrained` into a folder that loads through the same
  code path as a hub checkpoint; the same as a MusicGen-Melody (12 chroma bins);
- a beat_this network, saved as a checkpoint of the shape the authors publish.

Nothing here is committed as weights: each test session builds them anew.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

WORDS = ["▁drums", "▁drum", "▁bass", "▁bassline", "▁only", "▁bpm", "▁minor", "▁major",
         "▁house", "▁techno", "▁lead", "▁melody", "▁pads", "▁dark", "▁bright", "▁energy",
         "▁with", "▁the", "▁arrangement", "▁elevate", "s", ",", "."]
CODEBOOKS = 4
CODEBOOK_SIZE = 64
SAMPLE_RATE = 32000
HOP = (8, 5, 4, 4)  # 640 samples: 50 token frames per second, as MusicGen's EnCodec


def _tokenizer() -> Any:
    """A T5 tokenizer from a `tokenizers` Unigram model over WORDS and single characters."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import T5Tokenizer

    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    vocab += [(w, -3.0 - 0.1 * i) for i, w in enumerate(WORDS)]
    vocab += [(c, -8.0) for c in "abcdefghijklmnopqrstuvwxyz0123456789#/"]
    unigram = Tokenizer(models.Unigram(vocab, unk_id=2, byte_fallback=False))
    unigram.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    unigram.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return T5Tokenizer(tokenizer_object=unigram, extra_ids=0)


def _sub_configs(vocab_size: int, channels: int) -> dict[str, dict[str, Any]]:
    """Tiny T5, EnCodec (32 kHz, 50 Hz) and decoder configs, as dicts."""
    # EnCodec's quantizer count is bandwidth / (frame rate × log2 codebook size):
    # 1.2 kbps / (50 × 6 bit) = 4 = the decoder's codebooks.
    bandwidth = CODEBOOKS * 50 * (CODEBOOK_SIZE.bit_length() - 1) / 1000
    return {
        "text_encoder": {"model_type": "t5", "vocab_size": vocab_size, "d_model": 16,
                         "d_kv": 4, "d_ff": 32, "num_layers": 1, "num_heads": 2,
                         "relative_attention_num_buckets": 8},
        "audio_encoder": {"model_type": "encodec", "sampling_rate": SAMPLE_RATE,
                          "target_bandwidths": [bandwidth], "hidden_size": 16,
                          "num_filters": 4, "upsampling_ratios": list(HOP),
                          "codebook_size": CODEBOOK_SIZE, "num_lstm_layers": 1,
                          "audio_channels": channels},
        "decoder": {"vocab_size": CODEBOOK_SIZE, "max_position_embeddings": 4096,
                    "num_hidden_layers": 2, "ffn_dim": 32, "num_attention_heads": 2,
                    "hidden_size": 16, "num_codebooks": CODEBOOKS * channels,
                    "pad_token_id": CODEBOOK_SIZE, "bos_token_id": CODEBOOK_SIZE,
                    "audio_channels": channels},
    }


def _finish(model: Any) -> None:
    bandwidth = model.config.audio_encoder.target_bandwidths[0]
    quantizers = model.audio_encoder.quantizer.get_num_quantizers_for_bandwidth(bandwidth)
    assert quantizers == CODEBOOKS, quantizers
    model.generation_config.decoder_start_token_id = CODEBOOK_SIZE
    model.generation_config.pad_token_id = CODEBOOK_SIZE
    model.generation_config.max_length = 4096


def build_tiny_musicgen(folder: Path, channels: int = 1) -> Path:
    """Save a tiny MusicGen (model, processor, generation config) into `folder`."""
    from transformers import (
        EncodecFeatureExtractor,
        MusicgenConfig,
        MusicgenForConditionalGeneration,
        MusicgenProcessor,
    )

    tokenizer = _tokenizer()
    config = MusicgenConfig(**_sub_configs(len(tokenizer), channels))
    model = MusicgenForConditionalGeneration(config)
    _finish(model)
    features = EncodecFeatureExtractor(feature_size=channels, sampling_rate=SAMPLE_RATE,
                                       padding_value=0.0)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    MusicgenProcessor(feature_extractor=features, tokenizer=tokenizer).save_pretrained(folder)
    return folder


# The preprocessor_config.json of transformers' MusicgenMelodyFeatureExtractor (its
# defaults, the published checkpoints' settings). The class requires torchaudio, so the
# file is written here rather than by its save_pretrained.
MELODY_FEATURES = {"feature_extractor_type": "MusicgenMelodyFeatureExtractor",
                   "feature_size": 12, "sampling_rate": SAMPLE_RATE, "hop_length": 4096,
                   "chunk_length": 30, "n_samples": 30 * SAMPLE_RATE, "n_fft": 16384,
                   "num_chroma": 12,
                   "padding_side": "right", "padding_value": 0.0,
                   "return_attention_mask": False, "stem_indices": [3, 2],
                   "processor_class": "MusicgenMelodyProcessor"}


def build_tiny_musicgen_melody(folder: Path) -> Path:
    """Save a tiny MusicGen-Melody (model, tokenizer, feature extractor settings, generation
    config) into `folder`."""
    from transformers import MusicgenMelodyConfig, MusicgenMelodyForConditionalGeneration

    tokenizer = _tokenizer()
    config = MusicgenMelodyConfig(**_sub_configs(len(tokenizer), 1), num_chroma=12,
                                  chroma_length=235)
    model = MusicgenMelodyForConditionalGeneration(config)
    _finish(model)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / "preprocessor_config.json").write_text(json.dumps(MELODY_FEATURES, indent=2))
    return folder


def build_tiny_beat_this(path: Path, seed: int = 0) -> Path:
    """Save a tiny random beat_this checkpoint ('model.'-prefixed state dict and
    hyper-parameters, as the published ones) to `path`; the same weights for a seed."""
    import torch
    from beat_this.model.beat_tracker import BeatThis

    hparams = {"spect_dim": 128, "transformer_dim": 32, "ff_mult": 2, "n_layers": 1,
               "head_dim": 16, "stem_dim": 16, "sum_head": True, "partial_transformers": True,
               "lr": 0.0008}  # a training-only parameter, which loading must skip
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = BeatThis(**{k: v for k, v in hparams.items() if k != "lr"})
    state = {f"model.{k}": v for k, v in model.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": state, "hyper_parameters": hparams}, path)
    return path
