"""Storefront library: markets, catalog, i18n, rendering and DynamoDB access."""
