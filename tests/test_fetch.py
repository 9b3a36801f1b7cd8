"""Issue 21: remote images on request. ``publish fetch`` downloads a manuscript's
https: images once, into .publish-remote/ with a lock file; builds use the copies and
never touch the network. The server is a real HTTPS server on 127.0.0.1 with a
certificate made here, trusted through PUBLISH_FETCH_CA (never any other address)."""

from __future__ import annotations

import datetime
import hashlib
import io
import ipaddress
import json
import os
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_publish
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image

from publish.read import pandoc
from publish.remote import FOLDER, LOCK


def certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "#2266aa").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png()


def pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<style>@page{size:30mm 20mm;margin:0}</style>"
        '<svg width="30mm" height="20mm"><rect width="20" height="10" fill="red"/></svg>'
    ).write_pdf()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        port = self.server.server_address[1]
        if self.path == "/logo.png":
            self._send(200, "image/png", PNG)
        elif self.path == "/plot.pdf":
            self._send(200, "application/pdf", pdf())
        elif self.path == "/moved.png":
            self._send(302, "text/plain", b"", {"Location": "/logo.png"})
        elif self.path == "/to-http.png":
            self._send(302, "text/plain", b"", {"Location": f"http://127.0.0.1:{port}/logo.png"})
        elif self.path == "/page.png":
            self._send(200, "text/html", b"<!doctype html><p>a page</p>")
        elif self.path == "/huge.png":
            self._send(200, "image/png", PNG, {"Content-Length": "900000000"})
        else:
            self._send(404, "text/plain", b"no")

    def _send(
        self, code: int, kind: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        extra = headers or {}
        if "Content-Length" not in extra:
            self.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        if code == 200 and "Content-Length" not in extra:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = certificate(folder)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}", cert
    finally:
        httpd.shutdown()
        httpd.server_close()


def manuscript(folder: Path, *images: str) -> Path:
    body = "\n\n".join(f"![Picture {i}.]({src})" for i, src in enumerate(images, start=1))
    path = folder / "a.md"
    path.write_text(f"---\ntitle: Remote\n---\n\nText.\n\n{body}\n", encoding="utf-8")
    return path


def test_fetch_then_build_uses_the_verified_copy(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, cert = server
    url = f"{base}/logo.png"
    path = manuscript(tmp_path, url)
    env = {**os.environ, "PUBLISH_FETCH_CA": str(cert)}

    refused = run_publish("build", path, "--out", tmp_path / "b0", "--format", "html", env=env)
    assert refused.returncode == 1
    assert f"a.md:7: error: image '{url}': a build never touches the network: run " in (
        refused.stderr
    )
    assert "'publish fetch a.md'" in refused.stderr

    fetched = run_publish("fetch", path, env=env)
    assert fetched.returncode == 0, fetched.stderr
    lock = json.loads((tmp_path / FOLDER / LOCK).read_text(encoding="utf-8"))
    entry = lock["images"][url]
    copy = tmp_path / FOLDER / entry["file"]
    assert copy.read_bytes() == PNG
    assert entry["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert entry["type"] == "image/png" and entry["fetched"].endswith("Z")

    # the build uses the copy, with no network (no certificate given: it never connects)
    built = run_publish("build", path, "--out", tmp_path / "b1", "--format", "html")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "b1" / "a" / "a.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html

    # fetching again fetches nothing: the copy is there and verified
    again = run_publish("fetch", path, env=env)
    assert again.returncode == 0 and "fetched" not in again.stdout

    # a copy changed after it was fetched is refused, with what to do
    copy.write_bytes(PNG + b"x")
    changed = run_publish("build", path, "--out", tmp_path / "b2", "--format", "html")
    assert changed.returncode == 1
    assert "was changed since it was fetched: run 'publish fetch a.md --refresh'" in changed.stderr


def test_fetch_follows_https_redirects_only_and_takes_pictures_only(
    tmp_path: Path, server: tuple[str, Path]
) -> None:
    base, cert = server
    path = manuscript(
        tmp_path,
        f"{base}/moved.png",
        f"{base}/to-http.png",
        f"{base}/page.png",
        f"{base}/huge.png",
        f"{base}/gone.png",
    )
    result = run_publish("fetch", path, env={**os.environ, "PUBLISH_FETCH_CA": str(cert)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    err = result.stderr
    assert f"a.md:9: error: image '{base}/to-http.png': 'http://" in err
    assert "is not an https: address" in err
    assert f"a.md:11: error: image '{base}/page.png': the server sent 'text/html'" in err
    assert f"a.md:13: error: image '{base}/huge.png': it is larger than 20 MB" in err
    assert f"a.md:15: error: image '{base}/gone.png': the server answered 404" in err
    lock = json.loads((tmp_path / FOLDER / LOCK).read_text(encoding="utf-8"))
    assert list(lock["images"]) == [f"{base}/moved.png"]


def test_a_certificate_not_trusted_is_an_error(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, _ = server
    path = manuscript(tmp_path, f"{base}/logo.png")
    env = {k: v for k, v in os.environ.items() if k != "PUBLISH_FETCH_CA"}
    result = run_publish("fetch", path, env=env)
    assert result.returncode == 1
    assert "could not be fetched" in result.stderr and "CERTIFICATE" in result.stderr.upper()
    assert not (tmp_path / FOLDER / "remote.lock.json").exists()


def test_an_http_image_is_never_fetched(tmp_path: Path) -> None:
    path = manuscript(tmp_path, "http://127.0.0.1:9/logo.png")
    result = run_publish("fetch", path)
    assert result.returncode == 1
    assert "a.md:7: error: image 'http://127.0.0.1:9/logo.png': only https:" in result.stderr


@pytest.mark.skipif(
    not hasattr(pandoc, "PDF_FIGURES_FILTER"),
    reason="read/pandoc.py does not run filters/pdf_figures.lua",
)
def test_a_remote_pdf_figure_is_fetched_and_drawn(tmp_path: Path, server: tuple[str, Path]) -> None:
    base, cert = server
    path = manuscript(tmp_path, f"{base}/plot.pdf")
    fetched = run_publish("fetch", path, env={**os.environ, "PUBLISH_FETCH_CA": str(cert)})
    assert fetched.returncode == 0, fetched.stderr
    built = run_publish("build", path, "--out", tmp_path / "b", "--format", "html")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "b" / "a" / "a.html").read_text(encoding="utf-8")
    assert 'src="data:image/svg+xml;base64,' in html
