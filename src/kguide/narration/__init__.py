"""Narration: Guide model -> script of spoken segments -> TTS (cached) -> chaptered audio."""
