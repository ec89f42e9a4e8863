"""Tests of the project's Norwegian spaCy pipeline."""
