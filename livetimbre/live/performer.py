"""Performing commands: the one place where a command from any surface takes effect.

Session changes go through the undo history (and re-render what they change);
launches and stops go to the launcher; files, recording and questions are answered
here. Each returns a short line saying what changed; a refusal raises
`LivetimbreError` and changes nothing.
"""

from __future__ import annotations

__all__ = ["Performer"]

from collections.abc import Callable
from typing import assert_never

from livetimbre.errors import LivetimbreError, ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.live.composing import Composer
from livetimbre.live.launching import Launcher
from livetimbre.live.learning import Learning, map_text
from livetimbre.live.recording import Recording
from livetimbre.live.saving import SessionFiles
from livetimbre.live.slots import Views, grid_text
from livetimbre.music.theory import parse_key
from livetimbre.patterns import parse
from livetimbre.patterns.voicing import check_values
from livetimbre.planner.clipdirection import direct_clip
from livetimbre.planner.direction import direct_prompt
from livetimbre.planner.longform import plan_track
from livetimbre.planner.sources import plan_kit, plan_sample
from livetimbre.planner.summary import plan_summary
from livetimbre.planner.theme import describe_prompt
from livetimbre.planner.vocabulary import vocabulary_text
from livetimbre.render.backends import check_backend_known, split_spec
from livetimbre.session import commands as c
from livetimbre.session.model import SampleRef, Session
from livetimbre.session.params import fx_text
from livetimbre.session.slash import help_text, slash_form
from livetimbre.session.state import SessionHistory
from livetimbre.voice.lyrics_read import read_lyrics


class Performer:
    """Performs commands on one live session."""

    def __init__(self, history: SessionHistory, genres: GenreRegistry, launcher: Launcher,
                 files: SessionFiles, recording: Recording, views: Views,
                 output_name: Callable[[], str], composer: Composer | None = None,
                 learning: Learning | None = None) -> None:
        self._history = history
        self._genres = genres
        self._launcher = launcher
        self._files = files
        self._recording = recording
        self._views = views
        self._output_name = output_name
        self._composer = composer
        self.learning = learning or Learning()

    @property
    def session(self) -> Session:
        return self._history.current

    def perform(self, command: c.Command) -> str:
        """Carry out `command`; returns what changed, raises LivetimbreError if refused."""
        if isinstance(command, c.SessionChange):
            return self._change(command)
        session = self.session
        match command:
            case c.LaunchClip(layer, scene):
                return self._launcher.launch(layer, session.scene_index(scene))
            case c.LaunchScene(scene):
                return self._launcher.launch_scene(session.scene_index(scene))
            case c.StopLayer(layer):
                return self._launcher.stop(layer)
            case c.StopAll():
                return self._launcher.stop_all()
            case c.Panic():
                return self._launcher.panic()
            case c.Undo():
                label = self._history.undo()
                return f"undid {label}" if label else "nothing to undo"
            case c.Save(path):
                return self._files.save(path)
            case c.Load(path):
                return self._files.load(path)
            case c.StartRecording(path):
                return self._recording.start(path)
            case c.StopRecording():
                return self._recording.stop()
            case c.Compose():
                return self._composing().start(command, session)
            case c.StopCompose():
                return self._composing().stop()
            case c.PlanPrompt(prompt):
                spec = direct_prompt(prompt, self._genres, director=session.director)
                return plan_summary(spec, plan_track(prompt, self._genres,
                                                     duration=session.duration, spec=spec))
            case c.Learn():
                return self.learning.arm(command, session)
            case c.StopLearning():
                return self.learning.stop()
            case c.ShowMap():
                return map_text(session, self.learning)
            case c.ShowStatus():
                patch = self._files.patch_path
                return self._views.status_text(self._output_name(), str(patch or ""))
            case c.ShowGrid():
                return grid_text(self._views)
            case c.ShowFx(layer):
                return fx_text(session, layer)
            case c.ShowDevices():
                from livetimbre.system.devices import describe_devices

                return describe_devices()
            case c.Help(topic) if topic is not None and topic.lower() == "words":
                return vocabulary_text()
            case c.Help(topic):
                return help_text(topic)
            case c.Quit():
                raise ValueProblem("/quit works in the REPL only; stop a headless livetimbre "
                                   "with SIGTERM or Ctrl-C.")
            case _:
                assert_never(command)

    def _composing(self) -> Composer:
        if self._composer is None:
            raise ValueProblem("/compose works in a running live session only.")
        return self._composer

    def _change(self, command: c.SessionChange) -> str:
        if isinstance(command, c.SetGenre):
            self._genres.get(command.genre)
        if isinstance(command, c.SetModel):
            check_backend_known(command.backend)
        if isinstance(command, c.SetLyrics) and command.words:
            read_lyrics(command.words, "/lyrics")  # words that cannot be sung: said now
        if isinstance(command, c.SetClipSample):  # a bad file is refused here, unchanged
            plan_sample(SampleRef(command.path, command.bpm, command.key))
        if isinstance(command, c.SetClipPattern) and command.text is not None:
            self._check_pattern(command)  # a bad pattern is refused, the set plays on
        if isinstance(command, c.SetKit) and command.path is not None:
            plan_kit(command.path)
        new = self._history.apply(command, slash_form(command))
        answer = command.answer(new)
        if isinstance(command, c.SetDuration) and command.seconds != new.duration:
            answer += (f" ({command.seconds:g} s is outside long-form's 90–180 s; "
                       "/compose --short --duration S makes a short piece)")
        if isinstance(command, c.SetClipPrompt) and command.prompt:
            answer += self._read(new, command.layer, command.prompt)
        return answer

    def _check_pattern(self, command: c.SetClipPattern) -> None:
        """The pattern parses and its layer can play its values (else the column)."""
        assert command.text is not None
        session = self.session
        parse(command.text)
        check_values(command.text, session.layer(command.layer).role, parse_key(session.key))

    def _read(self, session: Session, layer: str, prompt: str) -> str:
        """What the director read in a clip prompt: the sound it chose for the layer, and
        for the procedural composer the words set aside (and why) and the words it does not
        play from, so the performer learns its vocabulary; '' when there is nothing to say."""
        genre = self._genres.get(session.genre)
        try:
            direction = direct_clip(prompt, session.layer(layer).role, self._genres,
                                    genre=genre.id, key=session.key, meter=session.meter,
                                    director=session.director)
        except LivetimbreError as exc:  # the change is made: its render will say it too
            return f" (the director could not read it: {exc})"
        said = []
        chosen = direction.instrument
        if chosen is not None:
            stand_in = " (a GM stand-in)" if chosen.substitute else ""
            said.append(f"'{chosen.named}' → {chosen.gm_name}{stand_in}")
        if split_spec(session.backend_for(layer))[0] == "procedural":  # a model reads all
            said += direction.set_aside
            theme = describe_prompt(prompt, genre, session.bars)
            named = (chosen.named or "").lower().split() if chosen is not None else []
            unread = [w for w in theme.ignored if w not in named
                      and not any(f'"{w}"' in x for x in direction.set_aside)]
            if unread:
                said.append(f"the composer does not play from: {', '.join(unread)}")
        return f" ({'; '.join(said)})" if said else ""

