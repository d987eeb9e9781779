"""The NinjaAPI of /api/v1/: token authentication, rate limit, Italian errors, the routers of each domain."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, Throttled, ValidationError
from ninja.throttling import AuthRateThrottle

from .auth import TokenAuth
from .routers import campagne, piano, schede, territorio

api = NinjaAPI(
    title="Portale Ambiti Sociali — API REST",
    version="1.0.0",
    description=(
        "Territorio, schede di monitoraggio SOSE, Piano di Zona e campagne, per i soli Ambiti e Comuni assegnati "
        "all'utente del token. Autenticazione: `Authorization: Bearer <token>` (pagina «I miei token API»)."
    ),
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.API_RATE)],
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/territorio", territorio.router)
api.add_router("/schede", schede.router)
api.add_router("/piani", piano.router)
api.add_router("/campagne", campagne.router)


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Token mancante, sconosciuto, scaduto o revocato.")


@api.exception_handler(AuthorizationError)
def unauthorised(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return _error(request, 403, "Operazione non consentita.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "Operazione non consentita.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Non trovato (o non tra gli Ambiti e i Comuni assegnati all'utente del token).")


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _error(request, 429, "Troppe richieste: riprovare tra poco.")  # ninja adds Retry-After


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errori = [
        {"campo": ".".join(str(p) for p in e.get("loc", ())), "messaggio": str(e.get("msg", ""))} for e in exc.errors
    ]
    where = ", ".join(e["campo"] for e in errori)
    return api.create_response(request, {"detail": f"Richiesta non valida: {where}.", "errori": errori}, status=422)
