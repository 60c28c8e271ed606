"""The ingest page (``/ingest``, ``/ingest.json``): add article files or paste JSONL.

Read-only by default: posting needs the app to be created with ``allow_ingest=True``
(``parallax serve --allow-ingest``).  Uploads are written to a temporary folder
(:mod:`.uploads`: no path from the request reaches the file system; failures are recorded under
the user's file name), ingested with :func:`parallax.workflows.ingest_sources` (the CLI's ingest,
with its story rebuild on a first ingest) on a store of their own, then deleted.  The request size is capped by the app's ``Guard``; a post must carry the
form's token and come from this origin (:mod:`.security`)."""

from __future__ import annotations

import tempfile
from typing import Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from .. import errors
from ..store import open_store
from .app import render, site_of
from .security import TOKEN_HEADER, cross_site_reason, token_matches
from .uploads import read_uploads, save_upload

router = APIRouter()


def _status(request: Request) -> dict[str, Any]:
    site = site_of(request)
    out = {"allowed": site.allow_ingest, "max_bytes": site.max_body, "counts": site.store.counts()}
    if site.allow_ingest:  # readable by this origin only: what a script must send back with a POST
        out["csrf_token"] = site.csrf_token
    return out


def _check_origin(request: Request, token: str) -> None:
    site = site_of(request)
    if not site.allow_ingest:
        raise HTTPException(403, "This server is read-only; start it with --allow-ingest to add articles.")
    reason = cross_site_reason(request.headers, request.url.scheme)
    if reason is not None:
        raise HTTPException(403, f"Cross-site ingest refused ({reason}).")
    if not token_matches(site.csrf_token, token or request.headers.get(TOKEN_HEADER)):
        raise HTTPException(403, "Ingest refused: missing or wrong csrf_token (reload the ingest page; "
                                 "scripts read it from GET /ingest.json).")


def _run(db: str, saved: list[tuple[str, str]], lock) -> dict[str, Any]:
    from ..workflows import ingest_sources

    with lock, open_store(db) as store:  # one ingest at a time, on a store of its own
        summary = ingest_sources(store, read_uploads(saved))
    return summary.to_dict()


async def do_ingest(request: Request, files: list[UploadFile], jsonl: str, token: str = "") -> dict[str, Any]:
    _check_origin(request, token)
    site = site_of(request)
    with tempfile.TemporaryDirectory(prefix="parallax-upload-") as tmp:
        saved = []  # (temporary path, the user's name for it)
        for k, f in enumerate(files):
            if not f.filename:
                continue
            saved.append(save_upload(tmp, k, f.filename, await f.read()))
        if jsonl.strip():
            saved.append(save_upload(tmp, len(files), "pasted.jsonl", jsonl.encode("utf-8")))
        if not saved:
            raise HTTPException(400, "Nothing to ingest: choose files or paste JSONL.")
        try:
            result = await run_in_threadpool(_run, site.db, saved, site.ingest_lock)
        except errors.ParallaxError as exc:
            raise HTTPException(400, str(exc)) from None
    site.forget()
    return result


@router.get("/ingest.json", summary="Whether this server accepts ingest, and the database counts", tags=["ingest"])
def ingest_status(request: Request) -> dict[str, Any]:
    return _status(request)


@router.post("/ingest.json", summary="Ingest uploaded files and/or pasted JSONL (needs --allow-ingest)",
             tags=["ingest"])
async def ingest_json(request: Request, files: list[UploadFile] = File(default=[]),
                      jsonl: str = Form(""), csrf_token: str = Form("")) -> dict[str, Any]:
    return await do_ingest(request, files, jsonl, csrf_token)


@router.get("/ingest", include_in_schema=False)
def ingest_page(request: Request):
    return render(request, "ingest.html.j2", status=_status(request), result=None)


@router.post("/ingest", include_in_schema=False)
async def ingest_post(request: Request, files: list[UploadFile] = File(default=[]), jsonl: str = Form(""),
                      csrf_token: str = Form("")):
    result = await do_ingest(request, files, jsonl, csrf_token)
    return render(request, "ingest.html.j2", status=_status(request), result=result)
