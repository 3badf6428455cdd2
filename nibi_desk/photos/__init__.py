"""Inspection photos (Qt-free): EXIF reading, the content-addressed store, thumbnails, stamped derivatives, checks.

Layout on disk (see :mod:`nibi_desk.photos.store`): originals live beside the registry in ``<registry>.photos/``,
named by their SHA-256 (``ab/cdef….jpg``); thumbnails are a cache under ``thumbs/<size>/``.
"""
