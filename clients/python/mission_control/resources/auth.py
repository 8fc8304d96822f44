"""Sign-in, sessions and the caller's identity (/auth)."""

from __future__ import annotations

from typing import Any, Optional

from ..errors import MissionControlError
from ..models import ApiKey, CreatedApiKey, Me, SessionTokens, parse_me
from ._context import ResourceContext, without_none


class AuthResource:
    """Sign-in, sessions, the caller's identity and API keys; use ``client.auth``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def login(self, email: str, password: str, workspace_id: Optional[str] = None) -> SessionTokens:
        """Signs a person in and makes this client use the new access token."""
        # Public and not idempotent: the transport sends it once.
        answer = self._context.transport.request(
            "POST",
            "/api/v1/auth/login",
            body=without_none({"email": email, "password": password, "workspaceId": workspace_id}),
            idempotent=False,
        ).body
        if isinstance(answer, dict) and "challengeToken" in answer:
            raise MissionControlError(
                "MFA_REQUIRED",
                "This account has MFA on: sign in with the TypeScript SDK or the dashboard.",
                status=200,
                details=answer,
            )
        session = SessionTokens.from_dict(answer)
        self._context.set_credential(session.access_token)
        return session

    def refresh(self, refresh_token: str) -> SessionTokens:
        """Trades a refresh token for new tokens and uses the new access token (never retried)."""
        answer = self._context.transport.request(
            "POST", "/api/v1/auth/refresh", body={"refreshToken": refresh_token}, idempotent=False
        ).body
        session = SessionTokens.from_dict(answer)
        self._context.set_credential(session.access_token)
        return session

    def logout(self, refresh_token: Optional[str] = None) -> None:
        """Ends the session (revokes the refresh token when given)."""
        body: dict[str, Any] = {"refreshToken": refresh_token} if refresh_token else {}
        self._context.transport.request("POST", "/api/v1/auth/logout", body=body)

    def me(self) -> Me:
        """Who the credential belongs to: a user (MeUser) or an agent (MeAgent)."""
        return parse_me(self._context.transport.request("GET", "/api/v1/auth/me").body)

    def list_api_keys(self) -> list[ApiKey]:
        """Lists the signed-in person's own API keys."""
        body = self._context.transport.request("GET", "/api/v1/auth/api-keys").body
        return [ApiKey.from_dict(item) for item in body["data"]]

    def create_api_key(self, name: Optional[str] = None, **options: Any) -> CreatedApiKey:
        """Creates an API key for the signed-in person; the secret is in this answer only."""
        body = without_none({"name": name, **options})
        return CreatedApiKey.from_dict(self._context.transport.request("POST", "/api/v1/auth/api-keys", body=body).body)
