"""The storefront shoppers browse: home, listings, product pages, search, sitemaps."""
