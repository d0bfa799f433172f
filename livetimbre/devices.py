"""Listing audio devices (and, later, MIDI ports) with their backend, or why not."""

from __future__ import annotations

__all__ = ["describe_devices"]


def describe_devices() -> str:
    """One line per audio output device, or the reason PortAudio is unavailable."""
    try:
        import sounddevice
    except OSError as exc:
        return f"audio: PortAudio unavailable ({exc}); install libportaudio2"
    lines = ["audio outputs (PortAudio):"]
    apis = sounddevice.query_hostapis()
    try:
        default = sounddevice.default.device[1]
    except (AttributeError, IndexError, TypeError):
        default = -1
    found = False
    for index, info in enumerate(sounddevice.query_devices()):
        if info["max_output_channels"] < 1:
            continue
        found = True
        mark = "*" if index == default else " "
        api = apis[info["hostapi"]]["name"]
        lines.append(f" {mark} {index:2} {info['name']} ({api}, {info['max_output_channels']} ch, "
                     f"{info['default_samplerate']:g} Hz)")
    if not found:
        lines.append("   none found: livetimbre plays on a real-time null output (--output null)")
    return "\n".join(lines)
