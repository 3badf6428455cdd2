"""Package list for setuptools: the nibi_desk package plus the top-level data directories mapped into it."""

from setuptools import find_packages, setup

DATA_PACKAGES = ["nibi_desk._data.db", "nibi_desk._data.ui", "nibi_desk._data.resources", "nibi_desk._data.docs"]

setup(packages=find_packages(include=["nibi_desk", "nibi_desk.*"]) + DATA_PACKAGES)
