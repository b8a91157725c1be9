"""The API's plumbing, shared by every app's endpoints: the base view, permissions, pagination,
parsers, conditional requests, errors and OpenAPI pieces. It knows DRF and ``accounts`` (roles),
and no app above it."""
