"""Slash-command parsing: every example parses; bad input names the usage or the bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.session import commands as c
from livetimbre.session import slash as rc


@pytest.mark.parametrize("name", sorted(rc.COMMANDS))
def test_every_command_parses_its_own_example(name: str) -> None:
    command = rc.COMMANDS[name]
    assert command.example.startswith(f"/{name}")
    assert command.usage.startswith(f"/{name}")
    action = rc.parse_line(command.example)
    assert action is not None


@pytest.mark.parametrize(("line", "expected"), [
    ("/tempo 120", c.SetTempo(120.0)),
    ("/TEMPO 96.5", c.SetTempo(96.5)),
    ('/clip drums 1 "driving beat"', c.SetClipPrompt("drums", 1, "driving beat")),
    ("/clip drums intro four on the floor",
     c.SetClipPrompt("drums", "intro", "four on the floor")),
    ("/clip bass 2", c.SetClipPrompt("bass", 2, None)),
    ("/launch drums 1", c.LaunchClip("drums", 1)),
    ("/launch drums outro", c.LaunchClip("drums", "outro")),
    ("/key F# minor", c.SetKey("F# minor")),
    ("/quantize 2m", c.SetQuantize("2M")),
    ("/quantize none", c.SetQuantize("none")),
    ("/gain bass -3", c.SetGain("bass", -3.0)),
    ("/release pads 800", c.SetRelease("pads", 800.0)),
    ("/release drums 2.5", c.SetRelease("drums", 2.5)),
    ("/mute pads", c.SetMute("pads", True)),
    ("/mute pads off", c.SetMute("pads", False)),
    ("/solo drums off", c.SetSolo("drums", False)),
    ("/stop all", c.StopAll()),
    ("/stop bass", c.StopLayer("bass")),
    ("/scene 2", c.LaunchScene(2)),
    ("/scene add outro", c.AddScene("outro")),
    ("/scene rename 2 drop", c.RenameScene(2, "drop")),
    ("/layer add keys rhodes piano", c.AddLayer("keys", "rhodes piano")),
    ("/session start", c.LaunchScene(1)),
    ("/model procedural", c.SetModel("procedural")),
    ("/record start take.wav", c.StartRecording(Path("take.wav"))),
    ("/panic", c.Panic()),
    ("/devices", c.ShowDevices()),
    ("/grid", c.ShowGrid()),
    ("/seed 42", c.SetSeed(42)),
    ("/genre house", c.SetGenre("house")),
    ("/undo", c.Undo()),
    ("/quit", c.Quit()),
    ("/help /clip", c.Help("clip")),
    ("/record stop", c.StopRecording()),
    ("/save", c.Save(None)),
    ("  /status  ", c.ShowStatus()),
    ("/duration 150", c.SetDuration(150)),
    ("/duration 200", c.SetDuration(200)),  # the session clamps it (and says so)
    ('/compose "warm pads and rain"', c.Compose("warm pads and rain")),
    ("/compose warm pads", c.Compose("warm pads")),
    ('/compose "pads" -o ~/t.flac --duration 150 --genre house --seed 4',
     c.Compose("pads", Path("~/t.flac").expanduser(), 150, False, "house", 4)),
    ('/compose --short --duration 30 "a short one"', c.Compose("a short one", None, 30, True)),
    ("/compose stop", c.StopCompose()),
])
def test_lines_parse_to_the_commands_they_mean(line: str, expected: c.Command) -> None:
    assert rc.parse_line(line) == expected


def _problem(line: str) -> str:
    with pytest.raises(ValueProblem) as info:
        rc.parse_line(line)
    return str(info.value)


@pytest.mark.parametrize(("line", "needles"), [
    ("/tempo 0", ["0.0", "20", "400"]),
    ("/tempo 401", ["401.0", "out of range"]),
    ("/tempo abc", ["'abc'", "not a number"]),
    ("/tempo", ["Usage: /tempo BPM"]),
    ("/tempo 120 130", ["Usage: /tempo BPM"]),
    ("/clip drums", ['Usage: /clip LAYER SCENE ["PROMPT"]', '/clip drums 1 "driving beat"']),
    ("/clip", ["Usage: /clip LAYER SCENE"]),
    ("/gain bass loud", ["'loud'", "dB"]),
    ("/gain bass 13", ["13.0", "-96 to +12"]),
    ("/gain bass", ["Usage: /gain LAYER DB"]),
    ("/release pads 0", ["Release 0.0", "1 to 10000 ms"]),
    ("/release pads 20000", ["Release 20000.0", "out of range"]),
    ("/release pads slow", ["'slow'", "not a number of ms"]),
    ("/release pads", ["Usage: /release LAYER MS"]),
    ("/quantize 3M", ["'3M'", "1M", "1/16", "none"]),
    ("/launch drums", ["Usage: /launch LAYER SCENE"]),
    ("/launch drums 1 2", ["Usage: /launch LAYER SCENE"]),
    ("/seed abc", ["'abc'", "not a whole number"]),
    ("/mute pads maybe", ["'maybe'", "on or off"]),
    ("/record start", ["Usage: /record start FILE"]),
    ("/record", ["Usage: /record start FILE | stop"]),
    ("/scene add", ["Usage: /scene add NAME"]),
    ("/scene rename 2", ["Usage: /scene rename N NAME"]),
    ("/layer remove keys", ["Usage: /layer add NAME"]),
    ("/session foo", ["Usage: /session start"]),
    ("/quit now", ["Usage: /quit"]),
    ("/undo 2", ["Usage: /undo"]),
    ("/model Bad:", ["'Bad:'", "NAME:MODEL"]),
    ("/duration", ["Usage: /duration SECONDS"]),
    ("/duration 120 130", ["Usage: /duration SECONDS"]),
    ("/duration long", ["Duration 'long' is not a number of seconds"]),
    ("/duration 0", ["Duration 0.0 must be above 0 seconds"]),
    ("/duration -5", ["-5.0", "out of range"]),
    ("/duration nan", ["nan", "out of range"]),
    ("/duration 1e9", ["out of range", "90 to 180 s"]),
    ("/compose", ['Usage: /compose "PROMPT"']),
    ('/compose ""', ['/compose "PROMPT"']),
    ("/compose pads -o", ["-o needs a value"]),
    ("/compose pads --duration", ["--duration needs a value"]),
    ("/compose pads --duration soon", ["'soon' is not a number of seconds"]),
    ("/compose pads --seed x", ["Seed 'x' is not a whole number"]),
    ("/compose pads --seed -1", ["Seed -1 is out of range"]),
    ("/compose pads --loud", ["Unknown option '--loud'", "/compose stop"]),
    ("/compose --short", ['Usage: /compose "PROMPT"']),
    ("/cfg high", ["/cfg 'high' is not a number"]),
    ("/cfg 99", ["guidance_scale 99.0 is out of range"]),
    ("/sampling lead warmth=2", ["Unknown sampling parameter 'warmth'"]),
    ("tempo 120", ["start with '/'", "/tempo"]),
    ("", ["/help"]),
    ("   ", ["/help"]),
])
def test_bad_lines_name_the_usage_or_the_bad_value(line: str, needles: list[str]) -> None:
    message = _problem(line)
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


@pytest.mark.parametrize(("line", "suggested"), [
    ("/tempp 120", ["/tempo"]),
    ("/lanch drums 1", ["/launch"]),
    ("/sceen 2", ["/scene"]),
    ("/quite", ["/quit"]),
])
def test_unknown_commands_suggest_close_names(line: str, suggested: list[str]) -> None:
    message = _problem(line)
    head = line.split()[0]
    assert f"Unknown command '{head}'" in message
    assert "Did you mean" in message
    for name in suggested:
        assert name in message
    assert "/help" in message


def test_unknown_command_without_a_close_name_points_at_help() -> None:
    message = _problem("/xyzzy")
    assert "Unknown command '/xyzzy'" in message
    assert "Did you mean" not in message
    assert "/help" in message


@pytest.mark.parametrize("line", ['/clip drums 1 "driving beat', "/clip drums 1 'open"])
def test_unterminated_quote_is_a_value_problem(line: str) -> None:
    message = _problem(line)
    assert "quot" in message.lower()
    assert line in message


def test_parsing_changes_nothing_and_quotes_keep_a_prompt_together() -> None:
    assert rc.split('/clip drums 1 "driving  beat" ') == ["/clip", "drums", "1", "driving  beat"]
    assert rc.parse_line("/clip drums 1 'a b'") == c.SetClipPrompt("drums", 1, "a b")
