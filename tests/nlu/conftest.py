"""The trained model, loaded once for all NLU tests (loading it takes tens of seconds)."""
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "models" / "barnekoordinator.tar.gz"


@pytest.fixture(scope="session")
def nlu_agent():
    from rasa.core.agent import Agent

    if not MODEL.exists():
        pytest.fail("no trained model: run `make train`")
    return Agent.load(str(MODEL))
