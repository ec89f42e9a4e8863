"""Person names from our spaCy pipeline's NER (PER), loaded lazily once per process."""
from __future__ import annotations

import logging
import os
import threading
from typing import List, Optional, Tuple

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "nb_barnekoordinator_sm"
# Only the NER is needed: it has its own embedding layer, so the rest of the pipeline
# (tagger, lemmatizer, parser) is left out, which halves the time per message.
_EXCLUDE = ("tok2vec", "morphologizer", "trainable_lemmatizer", "lemma_lookup", "parser")

_lock = threading.RLock()
_nlp = None
_failed = False
_loading = threading.local()


def model_name() -> str:
    return os.environ.get("MASK_NER_MODEL", DEFAULT_MODEL)


def members() -> int:
    """How many of the pipeline's voting NER models to run (MASK_NER_MEMBERS, default 1).

    Our pipeline's `ner` lets three models vote; the vote trades recall for precision, and
    for masking recall matters more, at a third of the time per message.
    """
    return max(1, int(os.environ.get("MASK_NER_MEMBERS", "1")))


def _load():
    global _nlp, _failed
    if _nlp is not None or _failed:
        return _nlp
    if getattr(_loading, "active", False):
        # Called again from inside the load (a library logs while importing and the masking
        # log filter masks that line): answer without the NER rather than deadlock.
        return None
    with _lock:
        if _nlp is None and not _failed:
            _loading.active = True
            try:
                import spacy

                nlp = spacy.load(model_name(), exclude=list(_EXCLUDE))
                component = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
                if component is not None and len(getattr(component, "members", [])) > 1:
                    component.members = component.members[: members()]
                _nlp = nlp
            except Exception as exc:  # the lists still mask names; say so loudly once
                _failed = True
                logger.error(
                    "Masking: could not load the spaCy model %r (%s); person names are "
                    "masked from the name lists only.", model_name(), exc)
            finally:
                _loading.active = False
    return _nlp


def available() -> bool:
    return _load() is not None


def person_spans(text: str) -> List[Tuple[int, int]]:
    """Character spans the NER labels PER (empty if the model cannot be loaded)."""
    nlp: Optional[object] = _load()
    if nlp is None:
        return []
    doc = nlp(text)  # type: ignore[operator]
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PER"]
