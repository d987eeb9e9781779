"""Production smoke test: the portal served by gunicorn with production settings, crawled by every demo role.

Runs what README.md's "Messa in produzione" says, on a fresh PostgreSQL database, then logs in through the real
login form as one demo user of each role and crawls every same-origin page reachable from the home page.

    .venv/bin/python scripts/smoke_production.py [--database-url postgres://postgres@127.0.0.1:5432/portale_smoke]

Steps (all with DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, STATIC_ROOT in a temporary folder):
  1. drop and recreate the database (its name must contain "smoke": it is destroyed on every run);
  2. manage.py migrate, load_demo (demo users with DEMO_PASSWORD, random when unset), collectstatic --noinput,
     check --deploy --fail-level WARNING;
  3. gunicorn config.wsgi --bind 127.0.0.1:<free port> --workers 2, in its own process group, with the task queue
     on RQ (TASKS_BACKEND=rq, Redis at 127.0.0.1:6379) and its services beside it: `rqworker default` and
     `jobs_watchdog` (scripts/smoke_services.py); the administrator downloads the Piano di Zona PDF through its
     progress page (the worker builds it);
  4. for the first demo user of each role: GET the login page, POST username, password and csrf token, follow the
     redirect home;
     then breadth-first over the same-origin links (<a href>), at most --max-pages per user and --per-pattern
     pages per URL shape (digits and query values ignored), skipping logout and, for non-superusers, /admin/.
     Every <link href>, <script src>, <img src> of a page is requested once, and every web font that
     Bootstrap Italia's bundle loads from window.__PUBLIC_PATH__;
  5. gunicorn is stopped (process group, also on failure) and .demo-credentials.json is restored.

There is no TLS on loopback: the client plays the TLS proxy of a real deployment. It sends
`X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), so SECURE_SSL_REDIRECT stays on as in production, and an
`Origin: https://127.0.0.1:<port>` header on POST (Django's CSRF check of secure requests). The session and CSRF
cookies are Secure: the cookie policy of the client also returns them over plain http to 127.0.0.1 and localhost.

Fails (exit status 1, with the list) on any 5xx, any static asset or font that is not 200, a login that does not
land on the home page, or fewer than --min-pages distinct pages in total.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import requests
import smoke_services
from check_database import recreate_database
from demo_credentials import SavedCredentials
from gunicorn_process import Background, Gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
LOOPBACK = {"127.0.0.1", "localhost"}
LOGIN_PATH = "/accesso/"
SKIP_PATHS = ("/esci/", "/admin/logout/")  # logout (POST only, and it would end the session)
FONT_RE = re.compile(r"\$\{i\}/([A-Za-z_]+/[\w.-]+\.(?:woff2?|ttf|eot|svg))")
PUBLIC_PATH_RE = re.compile(r"window\.__PUBLIC_PATH__\s*=\s*\"([^\"]*)\"")


def log(message: str) -> None:
    print(message, flush=True)


# --- HTML ------------------------------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Links, static assets and hidden csrf token of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.csrf_token = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "link" and a.get("href"):
            self.assets.append(a["href"])
        elif tag in {"script", "img"} and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken" and not self.csrf_token:
            self.csrf_token = a.get("value", "")


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# --- HTTP client behind a simulated TLS proxy ---------------------------------------------------------


class LoopbackSecureCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain http to the loopback server (TLS ends at the simulated proxy)."""

    def return_ok_secure(self, cookie, request) -> bool:
        if urlsplit(request.get_full_url()).hostname in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


class ProxySession(requests.Session):
    """A browser behind the TLS proxy: https as seen by Django, Secure cookies kept, Origin on POST."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.cookies.set_policy(LoopbackSecureCookiePolicy())
        self.headers["X-Forwarded-Proto"] = "https"
        self.headers["User-Agent"] = "portale-smoke/1"
        self.public_origin = "https://" + urlsplit(base_url).netloc  # the origin the browser sees

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        # requests builds the Cookie header from a copy of the jar with the default policy (Secure cookies only
        # over https): build it again from the session's jar, which has the loopback policy.
        prepared = super().prepare_request(request)
        prepared.headers.pop("Cookie", None)
        prepared.prepare_cookies(self.cookies)
        return prepared

    def post_form(self, url: str, data: dict, **kwargs) -> requests.Response:
        headers = {"Origin": self.public_origin, "Referer": self.public_origin + urlsplit(url).path}
        return self.post(url, data=data, headers=headers, **kwargs)


# --- Crawl ------------------------------------------------------------------------------------------------


@dataclass
class RoleReport:
    username: str
    description: str
    pages: int = 0  # HTML pages requested
    downloads: int = 0  # other content types (exports, PDF, Excel, JSON), not parsed
    redirects: int = 0
    client_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    skipped_by_cap: int = 0


def url_shape(url: str) -> str:
    """/territorio/comuni/015130/?page=2 -> /territorio/comuni/#/?page: pages of the same view."""
    parts = urlsplit(url)
    path = re.sub(r"[^/]*\d[^/]*", "#", parts.path)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


class Crawler:
    def __init__(self, base_url: str, max_pages: int, per_pattern: int, timeout: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = urlsplit(base_url).netloc
        self.max_pages = max_pages
        self.per_pattern = per_pattern
        self.timeout = timeout
        self.assets: dict[str, int] = {}  # URL -> status, once for every role
        self.asset_failures: list[str] = []
        self.public_paths: set[str] = set()
        self.font_files: set[str] = set()
        self.all_pages: set[str] = set()

    def same_origin(self, page_url: str, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        absolute = urljoin(page_url, href)
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.origin:
            return None
        return urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))

    def fetch_asset(self, session: ProxySession, url: str) -> None:
        if url in self.assets:
            return
        try:
            response = session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            self.assets[url] = 0
            self.asset_failures.append(f"{url} -> {exc}")
            return
        self.assets[url] = response.status_code
        if response.status_code != 200:
            self.asset_failures.append(f"{url} -> {response.status_code}")
        elif urlsplit(url).path.endswith(".js"):
            self.font_files.update(FONT_RE.findall(response.text))  # the fonts that loadFonts() asks for

    def login(self, session: ProxySession, username: str, password: str) -> str | None:
        """Log in through the real form; None when it worked, otherwise the reason."""
        page = session.get(self.base_url + LOGIN_PATH, timeout=self.timeout)
        if page.status_code != 200:
            return f"GET {LOGIN_PATH} -> {page.status_code}"
        token = parse_page(page.text).csrf_token
        if not token:
            return "nessun csrfmiddlewaretoken nel modulo di accesso"
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": ""}
        response = session.post_form(self.base_url + LOGIN_PATH, data, timeout=self.timeout, allow_redirects=False)
        if response.status_code != 302:
            return f"POST {LOGIN_PATH} -> {response.status_code} (credenziali rifiutate?)"
        home = session.get(urljoin(self.base_url + LOGIN_PATH, response.headers["Location"]), timeout=self.timeout)
        if home.status_code != 200 or urlsplit(home.url).path != "/" or 'name="username"' in home.text:
            return f"dopo l'accesso: {home.url} -> {home.status_code}, non la home page"
        return None

    def crawl(self, session: ProxySession, report: RoleReport, superuser: bool) -> None:
        queue = collections.deque([self.base_url + "/"])
        seen = {self.base_url + "/"}
        shapes: collections.Counter[str] = collections.Counter()
        requested = 0
        while queue:
            url = queue.popleft()
            if requested >= self.max_pages:
                report.skipped_by_cap += 1
                continue
            requested += 1
            links, redirect = self.visit(session, url, report)
            if redirect and redirect not in seen:  # a redirect is always followed
                seen.add(redirect)
                queue.append(redirect)
            for target in links:
                shape = url_shape(target)
                if target in seen or not self.worth_following(target, superuser) or shapes[shape] >= self.per_pattern:
                    continue
                shapes[shape] += 1
                seen.add(target)
                queue.append(target)

    def visit(self, session: ProxySession, url: str, report: RoleReport) -> tuple[list[str], str | None]:
        """GET one page and record the outcome in the report; its same-origin links and where it redirects."""
        try:
            response = session.get(url, timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            report.server_errors.append(f"{url} -> {exc}")
            return [], None
        status = response.status_code
        if status >= 500:
            report.server_errors.append(f"{url} -> {status}")
            return [], None
        if 300 <= status < 400:
            return [], self.redirect_target(url, response, report)
        if status >= 400:
            report.client_errors.append(f"{url} -> {status}")
            return [], None
        if "text/html" not in response.headers.get("Content-Type", ""):
            report.downloads += 1
            return [], None
        report.pages += 1
        self.all_pages.add(url)
        parsed = parse_page(response.text)
        for asset_url in filter(None, (self.same_origin(url, asset) for asset in parsed.assets)):
            self.fetch_asset(session, asset_url)
        self.public_paths.update(PUBLIC_PATH_RE.findall(response.text))
        return [target for href in parsed.links if (target := self.same_origin(url, href))], None

    def redirect_target(self, url: str, response: requests.Response, report: RoleReport) -> str | None:
        """Where a redirect leads, unless it is the login page (the session was lost: a client error)."""
        report.redirects += 1
        target = self.same_origin(url, response.headers.get("Location", ""))
        if target and urlsplit(target).path == LOGIN_PATH:
            report.client_errors.append(f"{url} -> {response.status_code} verso l'accesso (sessione persa?)")
            return None
        return target

    @staticmethod
    def worth_following(target: str, superuser: bool) -> bool:
        """Not logout, not the login page, and the admin only for superusers."""
        path = urlsplit(target).path
        return not path.startswith(SKIP_PATHS) and path != LOGIN_PATH and (superuser or not path.startswith("/admin/"))

    def check_fonts(self, session: ProxySession) -> list[str]:
        """Every font file the bundle's loadFonts() asks for, under window.__PUBLIC_PATH__, must answer 200."""
        problems = []
        if not self.public_paths:
            return ["window.__PUBLIC_PATH__ non trovato nelle pagine"]
        if not self.font_files:
            return ["nessun file di font trovato nel bundle JavaScript di Bootstrap Italia"]
        for public_path in sorted(self.public_paths):
            for font in sorted(self.font_files):
                url = self.same_origin(self.base_url + "/", f"{public_path}/{font}")
                if url is None:
                    problems.append(f"{public_path}/{font}: non servito dal portale")
                    continue
                self.fetch_asset(session, url)
        return problems


# --- Processes --------------------------------------------------------------------------------------------


def run(env: dict, *args: str) -> str:
    log(f"$ manage.py {' '.join(args)}")
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} fallito (codice {result.returncode})")
    return result.stdout


def demo_users(load_demo_output: str, password: str) -> list[tuple[str, str]]:
    """(username, description) from load_demo's list; checks that every user got DEMO_PASSWORD."""
    lines = load_demo_output.split("Utenti dimostrativi", 1)[-1].splitlines()[1:]
    users = []
    for line in lines:
        fields = line.split(None, 2)
        if len(fields) == 3 and line.startswith("  "):
            if fields[1] != password:
                raise SystemExit(f"load_demo non ha usato DEMO_PASSWORD per {fields[0]}")
            users.append((fields[0], fields[2]))
    if not users:
        raise SystemExit("load_demo non ha elencato utenti dimostrativi")
    return users


def one_per_role(users: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first demo user of each role (the description before « — », e.g. «Ufficio di Piano»): the other users
    of a role open the same pages with other data, which the tests' navigation crawl visits (tests/portal)."""
    seen: set[str] = set()
    return [(u, d) for u, d in users if (role := d.split(" — ")[0]) not in seen and not seen.add(role)]


# --- Main -------------------------------------------------------------------------------------------------


def crawl_as(crawler: Crawler, username: str, description: str, password: str) -> list[str]:
    """Log in as one demo user and crawl the portal; the failures (4xx pages are logged as warnings)."""
    session = ProxySession(crawler.base_url)
    report = RoleReport(username, description)
    problem = crawler.login(session, username, password)
    if problem:
        return [f"{username}: accesso non riuscito: {problem}"]
    started = time.monotonic()
    crawler.crawl(session, report, superuser=username == "admin")
    log(
        f"{username:<22} {report.pages:>4} pagine, {report.downloads:>3} download, "
        f"{report.redirects:>3} redirect, {len(report.client_errors):>2} 4xx, "
        f"{len(report.server_errors):>2} 5xx, {report.skipped_by_cap:>4} oltre il limite "
        f"({time.monotonic() - started:.1f} s)  {description}"
    )
    for line in report.client_errors:
        log(f"    avviso: {line}")
    return [f"{username}: {line}" for line in report.server_errors]


def queue_check(crawler: Crawler, password: str, services: list) -> list[str]:
    """The administrator downloads the Piano di Zona PDF through its progress page: built by the RQ worker."""
    admin = ProxySession(crawler.base_url)
    problem = crawler.login(admin, "admin", password)
    if problem:
        return [f"admin: {problem}"]
    failures = smoke_services.download_pdf_through_progress_page(admin, crawler.base_url)
    for service in services:
        service.check_running()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portale_smoke"),
        help="PostgreSQL database, dropped and recreated (the name must contain 'smoke')",
    )
    parser.add_argument("--max-pages", type=int, default=150, help="pages per user at most")
    parser.add_argument("--per-pattern", type=int, default=3, help="pages per URL shape at most")
    parser.add_argument("--min-pages", type=int, default=50, help="distinct pages required in total")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per request")
    args = parser.parse_args()

    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    workdir = Path(tempfile.mkdtemp(prefix="portale-smoke-"))
    env = smoke_services.queue_env({
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "DEMO_PASSWORD": password,
        "STATIC_ROOT": str(workdir / "staticfiles"),
        "PYTHONUNBUFFERED": "1",
    })  # fmt: skip
    credentials = SavedCredentials()  # load_demo rewrites the file: put back at the end
    server = None
    services: list[Background] = []
    failures: list[str] = []
    try:
        log(f"Database {recreate_database(args.database_url, 'smoke')} ricreato.")
        run(env, "migrate", "--noinput")
        users = demo_users(run(env, "load_demo"), password)
        run(env, "collectstatic", "--noinput")
        log(run(env, "check", "--deploy", "--fail-level", "WARNING").strip())

        server = Gunicorn(env, workers=args.workers, log_path=workdir / "gunicorn.log")
        server.wait_healthy()
        services = smoke_services.start_services(env, workdir)
        log(
            f"gunicorn in ascolto su {server.base_url} ({args.workers} worker), "
            "worker RQ, watchdog e pianificatore dei promemoria avviati"
        )
        crawler = Crawler(server.base_url, args.max_pages, args.per_pattern, args.timeout)
        admin = ProxySession(server.base_url)
        problem = crawler.login(admin, "admin", password)
        failures += (
            [f"admin: {problem}"]
            if problem
            else smoke_services.download_pdf_through_progress_page(admin, server.base_url)
        )
        for service in services:
            service.check_running()

        plain = requests.get(server.base_url + "/", timeout=args.timeout, allow_redirects=False)
        if plain.status_code != 301 or not plain.headers.get("Location", "").startswith("https://"):
            failures.append(f"http senza proxy TLS: atteso 301 verso https, ottenuto {plain.status_code}")

        for username, description in one_per_role(users):
            failures += crawl_as(crawler, username, description, password)

        failures += crawler.check_fonts(ProxySession(server.base_url))
        failures += [f"risorsa statica: {line}" for line in crawler.asset_failures]
        fonts = sum(1 for url in crawler.assets if "/fonts/" in url)
        log(
            f"Totale: {len(crawler.all_pages)} pagine distinte, {len(crawler.assets)} risorse statiche "
            f"(di cui {fonts} font da {', '.join(sorted(crawler.public_paths))})"
        )
        if len(crawler.all_pages) < args.min_pages:
            failures.append(f"solo {len(crawler.all_pages)} pagine distinte (minimo {args.min_pages})")
        if failures:
            log("--- gunicorn (ultime righe) ---\n" + server.log_tail(120))
    finally:
        smoke_services.stop_services(services, show_logs=bool(failures))
        if server is not None:
            server.stop()
        credentials.restore()
        shutil.rmtree(workdir, ignore_errors=True)

    if failures:
        log(f"\nSMOKE TEST FALLITO ({len(failures)} problemi):")
        for line in failures:
            log(f"  - {line}")
        return 1
    log("Smoke test di produzione superato.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
