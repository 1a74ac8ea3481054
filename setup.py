"""Package discovery for setuptools; everything else about the package is in pyproject.toml.

The release-notes templates live in the top-level `templates/` folder (users copy them from
there) and ship inside the package as `bot/templates/`: `package_dir` maps that folder to the
`bot.templates` package, whose `.j2` files pyproject.toml names as package data. pyproject.toml
cannot list that extra package next to discovered ones, hence this file.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*.__pycache__"]),
        "bot.templates",
    ],
    package_dir={"bot.templates": "templates"},
)
