"""Web-server configuration for a built site: who may read which folder, enforced by the server."""
