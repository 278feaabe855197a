"""The marketing editor: accounts, sessions, drafts, releases and the pages under /admin."""
