"""``GET /api/export/{format}``: the incidents as ACLED-style CSV, GeoJSON, JSON Lines or any
other registered exporter's format, streamed as they are read (the same exporters as
``overhorizon export``)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from overhorizon.api.deps import StoreFactory
from overhorizon.api.schemas import ISO_DATE

router = APIRouter(tags=["exports"])
# The built-in formats' media types, for the OpenAPI document (a plug-in's are served all the same).
_BUILT_IN_MEDIA = ("text/csv", "application/geo+json", "application/x-ndjson")
_END = object()


class _Pipe:
    """A text stream whose writes become chunks of the response (bounded, so a slow client
    holds the writer back instead of filling memory)."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[object] = queue.Queue(maxsize=64)
        self._buffer: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= 64_000:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._buffer:
            self.chunks.put("".join(self._buffer).encode())
            self._buffer, self._size = [], 0


@router.get(
    "/export/{fmt}",
    operation_id="exportIncidents",
    response_class=StreamingResponse,
    responses={200: {"content": {m: {} for m in _BUILT_IN_MEDIA}}},
)
def export(
    request: Request,
    fmt: str,
    since: Annotated[
        str | None, Query(description="Ending on or after (YYYY-MM-DD).", pattern=ISO_DATE)
    ] = None,
    until: Annotated[
        str | None, Query(description="Starting on or before (YYYY-MM-DD).", pattern=ISO_DATE)
    ] = None,
    grade: Annotated[str | None, Query(description="A grade suggestion.")] = None,
    type: Annotated[str | None, Query(description="A PLOVER type.")] = None,
    min_articles: Annotated[int, Query(ge=1)] = 1,
) -> StreamingResponse:
    """Every incident the filters keep, in the chosen format (docs/exports.md)."""
    from overhorizon.export import IncidentQuery, UnknownFormat, export_incidents, get_exporter

    try:
        exporter = get_exporter(fmt)
    except UnknownFormat as exc:
        raise HTTPException(
            422, {"code": "bad_request", "message": str(exc), "formats": list(exc.known)}
        ) from None
    factory: StoreFactory = request.app.state.stores
    try:
        query = IncidentQuery(
            since=since, until=until, grade=grade, type=type, min_articles=min_articles
        )
    except ValueError as exc:
        raise HTTPException(422, {"code": "bad_request", "message": str(exc)}) from None
    pipe = _Pipe()

    def produce() -> None:
        store = factory.store()
        try:
            export_incidents(store, exporter.name, pipe, query)  # type: ignore[arg-type]
            pipe.flush()
        except Exception as exc:  # noqa: BLE001 - the response has started: end it visibly
            pipe.flush()
            pipe.chunks.put(f"\n# export failed: {exc.__class__.__name__}\n".encode())
        finally:
            store.release()
            pipe.chunks.put(_END)

    def body() -> Iterator[bytes]:
        worker = threading.Thread(target=produce, daemon=True)
        worker.start()
        while (chunk := pipe.chunks.get()) is not _END:
            assert isinstance(chunk, bytes)
            yield chunk

    filename = f"incidents{exporter.suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(body(), media_type=exporter.media_type, headers=headers)
