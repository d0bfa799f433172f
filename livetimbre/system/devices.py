"""Listing audio devices and MIDI ports with their backend, or why there are none."""

from __future__ import annotations

__all__ = ["describe_devices"]


def describe_devices() -> str:
    """Audio outputs, then MIDI inputs and outputs; a backend that cannot start says why."""
    return f"{_describe_audio()}\n{_describe_midi()}"


def _describe_midi() -> str:
    from livetimbre.system.midi_ports import list_ports

    ports = list_ports()
    if ports.problem:
        return f"MIDI: unavailable: {ports.problem}"
    lines = [f"MIDI inputs ({ports.backend}):"]
    lines += [f"   {name}" for name in ports.inputs] or ["   none"]
    lines.append(f"MIDI outputs ({ports.backend}):")
    lines += [f"   {name}" for name in ports.outputs] or ["   none"]
    lines.append("   (MIDO_BACKEND=mido.backends.rtmidi/UNIX_JACK uses JACK MIDI instead)")
    return "\n".join(lines)


def _describe_audio() -> str:
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
