"""The ingest page (``/ingest``, ``/ingest.json``): add article files or paste JSONL.

Read-only by default: posting needs the app to be created with ``allow_ingest=True``
(``parallax serve --allow-ingest``).  Uploads are written under fresh names in a temporary
folder (the client's file name only keeps its extension, for format detection, so no path from
the request reaches the file system), ingested with :func:`parallax.workflows.ingest_sources` (the CLI's
ingest, with its recluster-after-first-ingest policy) on a store of their own, then deleted.  The request size is capped by the app's ``Guard``; a post
from another site (``Origin``/``Sec-Fetch-Site``) is refused."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from .. import errors
from ..store import open_store
from .app import render, site_of

router = APIRouter()

_EXT = re.compile(r"\.(txt|text|md|html?|xml|rss|atom|jsonl|json|ndjson)$", re.I)


def _status(request: Request) -> dict[str, Any]:
    site = site_of(request)
    return {"allowed": site.allow_ingest, "max_bytes": site.max_body, "counts": site.store.counts()}


def _check_origin(request: Request) -> None:
    site = site_of(request)
    if not site.allow_ingest:
        raise HTTPException(403, "This server is read-only; start it with --allow-ingest to add articles.")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "Cross-site ingest refused.")
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host", ""):
        raise HTTPException(403, "Cross-site ingest refused.")


def _run(db: str, paths: list[str], lock) -> dict[str, Any]:
    from ..workflows import ingest_sources

    with lock, open_store(db) as store:  # one ingest at a time, on a store of its own
        summary = ingest_sources(store, paths)
    return summary.to_dict()


async def do_ingest(request: Request, files: list[UploadFile], jsonl: str) -> dict[str, Any]:
    _check_origin(request)
    site = site_of(request)
    with tempfile.TemporaryDirectory(prefix="parallax-upload-") as tmp:
        paths = []
        for k, f in enumerate(files):
            if not f.filename:
                continue
            m = _EXT.search(Path(f.filename.replace("\\", "/")).name)
            target = Path(tmp) / f"upload-{k}{m.group(0).lower() if m else '.txt'}"
            target.write_bytes(await f.read())
            paths.append(str(target))
        if jsonl.strip():
            target = Path(tmp) / "pasted.jsonl"
            target.write_text(jsonl, encoding="utf-8")
            paths.append(str(target))
        if not paths:
            raise HTTPException(400, "Nothing to ingest: choose files or paste JSONL.")
        try:
            result = await run_in_threadpool(_run, site.db, paths, site.ingest_lock)
        except errors.ParallaxError as exc:
            raise HTTPException(400, str(exc)) from None
    for f in result["failures"]:  # report the uploaded name, not the temporary path
        f["source"] = Path(f["source"]).name
    site.forget()
    return result


@router.get("/ingest.json", summary="Whether this server accepts ingest, and the database counts", tags=["ingest"])
def ingest_status(request: Request) -> dict[str, Any]:
    return _status(request)


@router.post("/ingest.json", summary="Ingest uploaded files and/or pasted JSONL (needs --allow-ingest)",
             tags=["ingest"])
async def ingest_json(request: Request, files: list[UploadFile] = File(default=[]),
                      jsonl: str = Form("")) -> dict[str, Any]:
    return await do_ingest(request, files, jsonl)


@router.get("/ingest", include_in_schema=False)
def ingest_page(request: Request):
    return render(request, "ingest.html.j2", status=_status(request), result=None)


@router.post("/ingest", include_in_schema=False)
async def ingest_post(request: Request, files: list[UploadFile] = File(default=[]), jsonl: str = Form("")):
    result = await do_ingest(request, files, jsonl)
    return render(request, "ingest.html.j2", status=_status(request), result=result)
