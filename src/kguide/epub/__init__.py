"""The read-along EPUB 3 (Media Overlays): the guide's text, sentence by sentence in sync with
its audio."""
