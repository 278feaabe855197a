"""Validating and loading catalog files: run by developers and tools, never by the function.

The package build leaves this folder out of the Lambda zip (tools/package.py).
"""
