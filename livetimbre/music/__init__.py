"""The ground floor: keys, modes, scales, chords, meters, tempo and quantize values, GM
instruments, note events and seeds. Imports nothing of livetimbre but the exception tree."""
