"""The abstractive brief against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from presslens.brief.extractive import build_matrix
from presslens.brief.llm import abstractive_brief, aligned_items, parse_reply
from presslens.brief.story import summarize_story
from presslens.config import BriefConfig, BriefParams
from presslens.model import Article

ARTICLES = [
    Article(
        id="a",
        text=(
            "Heavy rain flooded the river town of Aldmoor on Monday, forcing 2,000 residents "
            "to leave their homes. Mayor Ines Carvalho said the water rose faster than in any "
            "flood since 1998. Rescue teams used boats to reach families trapped upstairs."
        ),
    ),
    Article(
        id="b",
        text=(
            "Floods forced 2,000 residents of the river town of Aldmoor to leave their homes "
            "on Monday after heavy rain. The regional government promised emergency funds "
            "of 40 million euros for repairs to the town."
        ),
    ),
]

Reply = Callable[[list[tuple[int, str]]], str]


def _items(prompt: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^\[(\d+)\] (.*)$", prompt, re.M)]


class FakeServer:
    """A chat-completions endpoint whose reply is built from the numbered sentences sent."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, **body})
                outer.headers.append(dict(self.headers))
                user = next(m["content"] for m in body["messages"] if m["role"] == "user")
                payload = json.dumps(
                    {
                        "id": "fake",
                        "object": "chat.completion",
                        "choices": [
                            {
                                "index": 0,
                                "message": {
                                    "role": "assistant",
                                    "content": outer.reply(_items(user)),
                                },
                                "finish_reason": "stop",
                            }
                        ],
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _mixed_reply(items: list[tuple[int, str]]) -> str:
    """One faithful sentence, one with an invented figure, one uncited, one bad citation."""
    flood = next(n for n, t in items if "2,000" in t)
    return (
        f"Heavy rain flooded Aldmoor on Monday and forced 2,000 residents to leave. [{flood}]\n"
        f"Heavy rain flooded Aldmoor on Monday and killed 75 residents. [{flood}]\n"
        "The mayor has resigned over the response.\n"
        f"Rescue teams used boats to reach trapped families [{len(items) + 5}].\n"
    )


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(_mixed_reply) as s:
        yield s


def test_aligned_items_merge_outlets_and_number_from_one() -> None:
    items = aligned_items(build_matrix(ARTICLES), BriefParams(), 10)
    assert [it.number for it in items] == list(range(1, len(items) + 1))
    flood = [it for it in items if "2,000" in it.text]
    assert len(flood) == 1 and flood[0].cites == ("a", "b") and flood[0].support == 2


def test_generated_sentences_are_verified_against_their_citations(server: FakeServer) -> None:
    result = abstractive_brief(build_matrix(ARTICLES), 100, server.url, "fake-model", key="k1")
    assert result.error is None
    assert [s.text for s in result.sentences] == [
        "Heavy rain flooded Aldmoor on Monday and forced 2,000 residents to leave."
    ]
    kept = result.sentences[0]
    assert kept.cites == ("a", "b") and kept.support == 2 and kept.article_id is None
    reasons = {r.text: r.reason for r in result.rejected}
    assert "75" in reasons["Heavy rain flooded Aldmoor on Monday and killed 75 residents."]
    assert reasons["The mayor has resigned over the response."] == "no citation"
    assert reasons["Rescue teams used boats to reach trapped families."].startswith("cites unknown")
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "fake-model"
    assert server.headers[0]["Authorization"] == "Bearer k1"


def test_summarize_story_reads_the_key_from_the_environment(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSLENS_LLM_KEY", "secret-from-env")
    cfg = BriefConfig(llm_url=server.url, llm_model="m")
    result = summarize_story(ARTICLES, cfg, 60)
    assert result.method == "llm"
    assert len(result.brief) == 1 and len(result.rejected) == 3
    assert server.headers[0]["Authorization"] == "Bearer secret-from-env"


def test_unsupported_everything_falls_back_to_the_extractive_brief() -> None:
    with FakeServer(lambda items: "Aliens landed in Aldmoor on Monday. [1]") as s:
        result = summarize_story(ARTICLES, BriefConfig(llm_url=s.url, llm_model="m"), 60)
    assert result.method == "extractive"
    assert result.brief and all(b.article_id for b in result.brief)
    assert result.rejected[0].reason.startswith("unsupported")
    assert result.error == "every generated sentence was rejected"


def test_unreachable_endpoint_is_reported_not_raised() -> None:
    with FakeServer(_mixed_reply) as s:
        url = s.url
    result = summarize_story(ARTICLES, BriefConfig(llm_url=url, llm_model="m", llm_timeout=2.0), 60)
    assert result.method == "extractive" and result.brief
    assert result.error is not None and "ConnectError" in result.error


def test_parse_reply_handles_citation_styles() -> None:
    parsed = parse_reply("One fact [1][2]. Two facts. [3, 4]\nThree [5; 6].")
    assert parsed == [("One fact.", (1, 2)), ("Two facts.", (3, 4)), ("Three.", (5, 6))]
