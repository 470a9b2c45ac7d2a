"""Fixtures of the generation tests: the scripted model server, engines that generate with it.

No model can run on the test machines, so an OpenAI-compatible server replying from a script
(``tests.scripted_model``) stands in for it; everything else is real (the bundled MiniLM for
support scores, a real index, the real app).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from policyqa.index import Embedder, IndexBuilder
from policyqa.service.pipeline import QAEngine, open_engine
from policyqa.settings import GeneratorSettings, Settings
from tests.conftest import MOROCCO_MD, VALDORIA_MD
from tests.scripted_model import ScriptedModel

#: The generator's timeout in these tests; the scripted slow replies wait longer.
TIMEOUT = 1.0


@pytest.fixture(scope="session")
def scripted_model() -> Iterator[ScriptedModel]:
    model = ScriptedModel(delay=TIMEOUT + 1.0)
    yield model
    model.close()


@pytest.fixture
def model(scripted_model: ScriptedModel) -> Iterator[ScriptedModel]:
    """The scripted server, reset to the faithful script with no recorded requests."""
    scripted_model.script, scripted_model.pause = "faithful", 0.0
    scripted_model.requests.clear()
    yield scripted_model
    scripted_model.script, scripted_model.pause = "faithful", 0.0


@pytest.fixture(scope="session")
def generation_index(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Path:
    """Morocco and the synthetic Valdoria indexed with the real model."""
    folder = tmp_path_factory.mktemp("generation-index")
    report = IndexBuilder(Settings(index_dir=folder), real_embedder).ingest_paths(
        [MOROCCO_MD, VALDORIA_MD]
    )
    assert not report.failed and len(report.added) == 2
    return folder


def generator_settings(folder: Path, url: str, **changes: object) -> Settings:
    """Settings whose generator is the model at ``url``."""
    generator = GeneratorSettings(base_url=url, timeout=TIMEOUT, api_key="test-key", **changes)
    return Settings(index_dir=folder, generator=generator)


@pytest.fixture(scope="session")
def generating_engine(
    generation_index: Path, scripted_model: ScriptedModel, real_embedder: Embedder
) -> QAEngine:
    """An engine whose answers the scripted model rewrites (answers removed, not marked)."""
    settings = generator_settings(generation_index, scripted_model.url)
    return open_engine(settings, embedder=real_embedder)


@pytest.fixture(scope="session")
def generating_server(generating_engine: QAEngine) -> Iterator[str]:
    """The real app over the generating engine on a real port: its base URL."""
    import threading
    import time

    import uvicorn

    from policyqa.service.app import create_app

    app = create_app(generating_engine.settings, engine=generating_engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="generating-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
