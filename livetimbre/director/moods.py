"""Words for everything but genres and instruments: tempo, mood, energy, feel, meter,
era and production, and the words set aside (recording quality, context, filler).
"""

from __future__ import annotations

__all__ = [
    "CONTEXT",
    "CURVES",
    "ENERGY",
    "ERAS",
    "FEELS",
    "FILLER",
    "METERS",
    "MODES",
    "MOODS",
    "PRODUCTION",
    "QUALITY",
    "RELAXED_TEMPO",
    "TEMPO_WORDS",
    "Mood",
    "expand",
]

from dataclasses import dataclass


def expand(table: dict[str, str]) -> dict[str, str]:
    """{'a, b': value} → {'a': value, 'b': value}."""
    return {w.strip(): v for words, v in table.items() for w in words.split(",") if w.strip()}


# tempo words → (direction, target BPM before the genre's range is considered)
TEMPO_WORDS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("very slow", "super slow", "extremely slow", "glacial", "largo",
                     "very slow tempo", "crawling", "adagio"), ("slow", 62.0)),
    **dict.fromkeys(("slow", "slow tempo", "slow paced", "slow pace", "slowly", "slower",
                     "low tempo", "low bpm", "slow song", "slow beat", "unhurried", "lento",
                     "slow bpm", "slowed", "slowed down", "downbeat tempo", "slow moving",
                     "sluggish", "tempo slow", "slow rhythm", "andante"), ("slow", 74.0)),
    **dict.fromkeys(("moderately slow", "gentle tempo"), ("slow", 84.0)),
    **dict.fromkeys(("laid back tempo", "relaxed tempo", "leisurely", "easy tempo",
                     "chilled tempo", "chill tempo", "relaxed pace", "easy pace",
                     "leisurely pace"), ("relaxed", 0.0)),
    **dict.fromkeys(("mid tempo", "midtempo", "medium tempo", "moderate tempo", "moderato",
                     "medium pace", "walking pace", "mid paced", "medium speed"),
                    ("none", 102.0)),
    **dict.fromkeys(("uptempo", "up tempo", "upbeat", "upbeat tempo", "quick", "quick tempo",
                     "brisk", "allegro", "fast paced", "quick paced", "high tempo"),
                    ("fast", 126.0)),
    **dict.fromkeys(("fast", "fast tempo", "speedy", "rapid", "fast beat", "faster",
                     "high bpm", "fast bpm", "fast song", "tempo fast", "quickly",
                     "vivace", "hurried", "racing", "fast rhythm", "sped up", "speed up",
                     "nightcore"), ("fast", 140.0)),
    **dict.fromkeys(("very fast", "super fast", "frantic", "breakneck", "blazing", "presto",
                     "extremely fast", "lightning fast", "very fast tempo", "hyper",
                     "furious tempo"), ("fast", 168.0)),
}

# mood and energy words that also set a relaxed tempo (decide: the low end of the genre's
# range, at most 90 BPM where the genre can go there).
RELAXED_TEMPO = frozenset((
    "laid back", "laidback", "relaxed", "chilled", "chilled out", "chill", "easy going",
    "easygoing", "lazy", "lounging", "unwinding", "leisurely"))


@dataclass(frozen=True)
class Mood:
    """A mood word: its label, the mode it asks for (or None), an energy change and how
    strongly it asks for its mode: 1 for a feeling (sad, happy, dark), less for a word
    about timbre or texture (gritty, bright) that an explicit feeling overrules."""

    label: str
    mode: str | None
    energy: float = 0.0
    strength: float = 1.0


# moods about sound more than feeling: their mode yields to a feeling's.
_TIMBRE = {"gritty": 0.5, "bright": 0.5, "hypnotic": 0.5, "dreamy": 0.75, "mysterious": 0.75,
           "tense": 0.75, "quirky": 0.75}


def _moods(table: dict[str, tuple[str, str | None, float]]) -> dict[str, Mood]:
    return {word.strip(): Mood(*value, _TIMBRE.get(value[0], 1.0))
            for words, value in table.items()
            for word in words.split(",") if word.strip()}


MOODS: dict[str, Mood] = _moods({
    "happy, joyful, cheerful, uplifting, upbeat, joyous, glad, jolly, merry, feel good, "
    "feelgood, good vibes, positive, optimistic, sunny, fun, playful, bouncy, "
    "beautiful, lovely, sweet, pretty, nice, "
    "carefree, celebratory, festive, euphoric, hopeful, happiness, joy, cheery, jubilant, "
    "triumphant, victorious, lighthearted, light hearted, whimsical, gleeful, summery, "
    "summer, sunshine, delightful, blissful, exuberant, elated, heartwarming, inspiring, "
    "inspirational, motivational, warm hearted, pleasant, childlike, innocent, "
    "hopefulness, cute, happy go lucky": ("happy", "major", 0.1),
    "sad, melancholic, melancholy, sorrowful, mournful, gloomy, depressing, depressed, "
    "heartbroken, heartbreak, tearful, tragic, grief, grieving, lonely, loneliness, "
    "bittersweet, wistful, somber, sombre, blue, downcast, despair, desolate, regret, "
    "longing, yearning, heavy hearted, crying, tears, sorrow, lament, elegiac, "
    "mourning, hopeless, miserable, emotional, moody, pensive, brooding, "
    "introspective, forlorn, sadness, unhappy, broken, nostalgic sad": ("sad", "minor", -0.1),
    "dark, ominous, sinister, menacing, evil, scary, creepy, haunting, haunted, horror, "
    "spooky, eerie, foreboding, threatening, grim, bleak, gothic, doom, dread, "
    "nightmare, disturbing, unsettling": ("dark", "minor", 0.0),
    "dreamy, dreamlike, ethereal, floating, weightless, celestial, heavenly, magical, "
    "wonder, wonderous, wondrous, enchanted, fairy tale, fairytale, otherworldly, "
    "shimmering, airy, hazy, cosmic, atmospheric, spacey, spacy": ("dreamy", "lydian", -0.1),
    "mysterious, mystery, mystical, enigmatic, exotic, secretive, intrigue, "
    "suspicious, cryptic": ("mysterious", "phrygian", 0.0),
    "tense, suspense, suspenseful, tension, anxious, nervous, thriller, urgent, "
    "chase, danger, dangerous": ("tense", "harmonic minor", 0.15),
    "epic, heroic, majestic, grand, powerful, anthemic, cinematic feel, glorious, "
    "noble, legendary, adventurous, adventure, brave, bold": ("epic", None, 0.2),
    "angry, aggressive, furious, rage, fierce, violent, brutal, intense, savage, "
    "raw, rebellious, hostile": ("angry", "minor", 0.3),
    "calm, peaceful, serene, tranquil, relaxing, relaxed, soothing, gentle, soft, "
    "mellow, chill, chilled, chilled out, chilling, laid back, laidback, easy going, "
    "easygoing, meditative, "
    "zen, restful, quiet, cozy, cosy, comforting, warm, tender, sleepy, lullaby, "
    "intimate, smooth, placid, contemplative, reflective, "
    "unwinding": ("calm", None, -0.25),
    "romantic, love, loving, sensual, sexy, passionate, seductive, sultry, "
    "affectionate, intimate love": ("romantic", None, -0.05),
    "nostalgic, nostalgia, sentimental, reminiscent, memories, "
    "bygone": ("nostalgic", None, -0.05),
    "groovy, danceable, catchy, infectious, "
    "swaggering, cool": ("groovy", None, 0.1),
    "bluesy feel, soulful feel, gritty, earthy, grimy, rough, raspy, dirty, "
    "fuzzy": ("gritty", "mixolydian", 0.0),
    "bright, sparkling, sparkly, glittering, glistening, shiny, brilliant, "
    "crystalline": ("bright", "major", 0.05),
    "spiritual, sacred, religious, divine, holy, prayerful, "
    "worshipful": ("spiritual", None, -0.05),
    "quirky, silly, funny, comedic, goofy, cartoonish, "
    "humorous": ("quirky", "major", 0.1),
    "hypnotic, trance like, repetitive, mesmerizing, mesmerising, "
    "trippy, psychedelic": ("hypnotic", "dorian", 0.0),
})

# explicit mode words → mode.
MODES: dict[str, str] = expand({
    "major, major key, in major, major scale, major chords, major tonality": "major",
    "minor, minor key, in minor, minor scale, minor chords, minor tonality": "minor",
    "dorian, dorian mode": "dorian", "phrygian, phrygian mode": "phrygian",
    "lydian, lydian mode": "lydian", "mixolydian, mixolydian mode": "mixolydian",
    "harmonic minor, harmonic minor scale": "harmonic minor", "locrian": "locrian",
    "aeolian": "minor", "ionian": "major",
})

# energy words → energy change; curve words → the energy curve.
ENERGY: dict[str, float] = {
    **dict.fromkeys(("energetic", "high energy", "driving", "lively", "dynamic", "vibrant",
                     "punchy", "hard hitting", "pumping", "banging", "explosive", "wild",
                     "hype", "hyped", "exciting", "excited", "powerful energy", "intense energy",
                     "danceable energy", "bouncing", "party", "loud", "heavy", "hard",
                     "pounding", "upbeat energy", "power", "energy", "full energy"), 0.25),
    **dict.fromkeys(("low energy", "subdued", "restrained", "minimal energy", "quiet energy",
                     "sparse energy", "delicate", "subtle", "muted", "laid back energy",
                     "downbeat", "lazy"), -0.25),
}
CURVES: dict[str, str] = expand({
    "build, building, builds, builds up, building up, rising, crescendo, growing, swelling, "
    "gradually building, slowly building, build up, buildup, slow build, slow building, "
    "slow burn, slow burner, slow burning, builds slowly, slowly builds, slow rise": "build",
    "slow fade, slowly fading, fades slowly": "fade",
    "fade, fading, fades out, fade out, fading out, dying away, decrescendo, winding down": "fade",
    "climax, climactic, rises and falls, ebb and flow, waves of energy, arc": "arc",
    "drop, drops, bass drop, the drop, with a drop, beat drop": "drop",
})

FEELS: dict[str, str] = expand({
    "swung, swing feel, shuffle, shuffled, shuffle feel, swinging, heavy swing, hard swing, "
    "light swing, slight swing, gentle swing, triplet feel, swung eighths, "
    "swung 16ths": "swing",
    "half time, halftime, half time feel, half time drums": "half-time",
    "double time, doubletime, double time feel": "double-time",
    "straight, straight eighths, no swing, unswung, straight feel": "straight",
})
METERS: dict[str, str] = expand({
    "waltz, in 3, three four, triple meter, waltz time, 3/4, 3 4 time, 3/4 time": "3/4",
    "6/8, six eight, 6/8 time, compound time, jig time": "6/8",
    "4/4, four four, common time, 4/4 time": "4/4", "7/8, in 7, seven eight": "7/8",
    "5/4, in 5, five four": "5/4", "12/8, twelve eight, 12/8 time": "12/8",
    "2/4, march time, two four": "2/4",
})
ERAS: dict[str, str] = expand({
    "50s, 1950s, fifties": "1950s", "60s, 1960s, sixties": "1960s",
    "70s, 1970s, seventies": "1970s", "80s, 1980s, eighties, 80 s": "1980s",
    "90s, 1990s, nineties, 90 s": "1990s", "2000s, noughties, y2k": "2000s",
    "2010s": "2010s", "retro, vintage, old school, oldschool, throwback, classic, "
    "old fashioned, old timey, old": "vintage",
    "modern, contemporary, futuristic, future": "modern",
    "medieval era, renaissance era": "early music", "baroque era": "baroque era",
    "romantic era": "romantic era",
})
PRODUCTION: dict[str, str] = expand({
    "reverb, reverberant, lots of reverb, reverb heavy, drenched in reverb, echo, echoes, "
    "echoey, delay, spacious, roomy, hall, wet": "reverb",
    "wide, wide stereo, stereo, panned, spread": "wide stereo",
    "tinny, thin sounding, lo fi production, lofi production, bitcrushed, "
    "bit crushed, crunchy, saturated, gritty production, distorted mix, "
    "compressed, tape, tape saturation, warm analog, analog, analogue, "
    "dusty": "coloured",
    "clean, polished, crisp, clear, hi fi, hifi, pristine, well produced, "
    "professional, studio quality, high quality, punchy mix, tight mix": "polished",
    "dry, close mic, close miked, intimate mix": "dry",
    "bass heavy, bassy, boomy, sub heavy, booming bass, "
    "massive bass": "bass-heavy",
    "sidechain, sidechained, pumping sidechain, ducking": "sidechain",
    "filtered, filter sweep, low pass, high pass, phaser, flanger, chorus effect, "
    "wah, wah wah": "filtered",
    "glitch, glitchy, stutter, chopped up": "glitchy",
})

# set aside, each with its reason.
QUALITY: dict[str, str] = expand({
    "low quality, poor quality, bad quality, poor audio quality, low audio quality, "
    "bad audio quality, bad audio, poor audio, amateur recording, amateurish, amateur, "
    "noisy recording, noisy, recorded on a phone, phone recording, muffled, muddy, "
    "distorted recording, mono, mono recording, low fidelity, lo fidelity, bad recording, "
    "poor recording, home recording, demo quality, rough recording, background noise, "
    "hiss, hissing, static noise, clipping, audio quality, sound quality, "
    "recording quality, quality, the recording is noisy, low bitrate, "
    "compressed audio, mediocre quality, average quality": "recording quality",
})
CONTEXT: dict[str, str] = expand({
    "youtube tutorial, tutorial, youtube, youtube video, lesson, guitar lesson, "
    "piano lesson, instructional, demonstration, demo, cover, cover song, karaoke, "
    "live performance, live recording, live concert, concert, live show, live, "
    "performance, performed, recording, recorded, audience, crowd, applause sounds, "
    "soundcheck, rehearsal, practice, practicing, advertisement, commercial, ad, jingle, "
    "podcast, intro music, outro music, background music, bgm, video, vlog, "
    "video game level, for a video, for a film, for a game, royalty free, stock music, "
    "instrumental, instrumental version, music video, tik tok, tiktok, radio edit, "
    "remix, mixtape, album, single, ep track, street performance, busking, "
    "wedding, party playlist, playlist, track, song, music, piece, tune, sound, "
    "sounds, audio, clip, sample, loop, this song, this is": "context",
})
_FILLER_TEXT = (
    "a an the with and or of in on for to some very more bit little lots plus but over under "
    "into from at by its it this that like feel feeling style vibe vibes type kind sort "
    "featuring feat ft also as is are was be being has have having which who there here "
    "too really quite somewhat slightly mostly mainly lot many much all any played "
    "playing plays use using uses used backed accompanied along together while throughout "
    "then through against behind where when than so just only even still something someone "
    "made make makes create creates want wants need needs i me my we you your please give "
    "generate compose write would should could can will sounding reminiscent inspired "
    "similar mood tempo bpm atmosphere ish y s n vs versus play band group instrument "
    "instruments genre genres part parts section woman man day night time people thing "
    "things"
)
FILLER: frozenset[str] = frozenset(_FILLER_TEXT.split())
