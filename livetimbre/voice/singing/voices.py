"""How each voice type sings: the espeak-ng voice its phonemes are spoken in, the
formant scaling applied to that voice's spectral envelope, vibrato depth and the
stem's high-pass corner."""

from __future__ import annotations

__all__ = ["VOICE_STYLES", "VoiceStyle"]

from dataclasses import dataclass

from livetimbre.voice.score import VoiceType


@dataclass(frozen=True, slots=True)
class VoiceStyle:
    """One voice type's settings.

    `espeak_voice` is a stock espeak-ng voice (a female variant for the upper voices);
    `formant_scale` stretches the spectral envelope along frequency (>1 brighter,
    smaller vocal tract); `vibrato_cents` is the peak vibrato deviation;
    `highpass_hz` the stem's high-pass corner.
    """

    espeak_voice: str
    formant_scale: float
    vibrato_cents: float
    highpass_hz: float


VOICE_STYLES: dict[VoiceType, VoiceStyle] = {
    "soprano": VoiceStyle("en-us+f2", 1.06, 32.0, 120.0),
    "alto": VoiceStyle("en-us+f2", 0.98, 28.0, 110.0),
    "tenor": VoiceStyle("en-us", 1.03, 26.0, 100.0),
    "baritone": VoiceStyle("en-us", 0.95, 24.0, 90.0),
}
