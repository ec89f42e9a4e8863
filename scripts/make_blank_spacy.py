"""Save a blank Norwegian spaCy pipeline (tokenizer and stop words only) for SpacyNLP to load."""
import sys
from pathlib import Path

import spacy

out = Path(sys.argv[1] if len(sys.argv) > 1 else "models/spacy-nb-blank")
if not (out / "config.cfg").exists():
    out.parent.mkdir(parents=True, exist_ok=True)
    spacy.blank("nb").to_disk(out)
