"""HTTP as pages see it: request and response values, errors, caching, links, rendering."""
