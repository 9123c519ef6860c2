"""Domain-adaptation scenarios: ordered (source, target) pairs of the digit domains.

A scenario is written ``SOURCE->TARGET`` in the config (``mnistm->svhn``); its results live under
``results/dann_<name>/`` where the name is the target alone when the source is MNIST-M (the 2023
names ``svhn`` and ``usps``, which the grading script and ``snakemake results/dann_svhn/tsne.png``
know) and ``<source>_to_<target>`` otherwise (``svhn_to_mnistm``).

A grading script's test folder names its target domain (:func:`target_of_folder`): by its path, or, where
the path names none, by its images' channels.
"""

import os

from .. import course
from ..core.cli import UserError

DOMAINS = ("mnistm", "svhn", "usps")
DOMAIN_TITLES = {"mnistm": "MNIST-M", "svhn": "SVHN", "usps": "USPS"}
CHANNELS = {"mnistm": 3, "svhn": 3, "usps": 1}  # of the course's images: USPS is grayscale

SETS = course.SCENARIO_SETS  # the scenario sets of the course years (config ``scenarios``: a year's set)
name = course.scenario_name


# every possible scenario by its name (the workflow's wildcard values)
ALL = {name(s, t): (s, t) for s in DOMAINS for t in DOMAINS if s != t}


def pair(scenario_name: str) -> tuple:
    """(source, target) of a scenario name."""
    if scenario_name not in ALL:
        raise UserError(f"unknown scenario {scenario_name!r} (known: {', '.join(ALL)})")
    return ALL[scenario_name]


def title(scenario_name: str) -> str:
    """``MNIST-M -> SVHN``: how tables and figures name a scenario."""
    source, target = pair(scenario_name)
    return f"{DOMAIN_TITLES[source]} -> {DOMAIN_TITLES[target]}"


def for_target(set_name: str, target: str) -> str:
    """The scenario of a set that adapts to ``target`` (the grading scripts' TARGET argument)."""
    found = [name(s, t) for s, t in SETS[str(set_name)] if t == target]
    if not found:
        targets = ", ".join(t for _, t in SETS[str(set_name)])
        raise UserError(f"the {set_name} scenarios have no target {target!r} (targets: {targets})")
    return found[0]


def _targets(set_name: str) -> list:
    return list(dict.fromkeys(t for _, t in SETS[str(set_name)]))


def target_from_path(folder: str, set_name: str = course.DEFAULT):
    """(target, the path component that names it) of a test folder's path, or None: the deepest
    component that is or contains the name of exactly one of the set's targets (``.../svhn_test/``)."""
    parts, targets = os.path.normpath(os.path.abspath(folder)).split(os.sep), _targets(set_name)
    for part in reversed(parts):
        found = [t for t in targets if t in part.lower()]
        if len(found) == 1:
            return found[0], part
    return None


def channels_of(path: str) -> int:
    """1 for a grayscale image (stored as one channel, or a palette of grays), else 3."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            if img.mode in ("1", "L", "LA", "I", "I;16", "F"):
                return 1
            if img.mode != "P":
                return 3
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UserError(f"image {path} is unreadable or truncated ({exc})") from None
    r, g, b = rgb.split()
    return 1 if r.tobytes() == g.tobytes() == b.tobytes() else 3


def target_of_folder(folder: str, first_image: str, set_name: str = course.DEFAULT) -> tuple:
    """(target, why) of a grading script's test folder: the target its path names (target_from_path), else
    the one target of the set whose images have as many channels as ``first_image`` (one: USPS, three:
    SVHN). ``why`` says which, for the script's line on stderr."""
    named = target_from_path(folder, set_name)
    if named:
        return named[0], f"from the path component {named[1]!r}"
    channels = channels_of(first_image)
    found = [t for t in _targets(set_name) if CHANNELS[t] == channels]
    if len(found) != 1:
        names = " or ".join(repr(t) for t in _targets(set_name))
        raise UserError(
            f"cannot tell the target domain of {folder!r}: no path component names {names}, and "
            f"{channels}-channel images fit {len(found)} of them (give the domain)"
        )
    return found[0], f"from its images ({os.path.basename(first_image)} has {channels} channel(s))"


def parse(item: str) -> tuple:
    """``'svhn->mnistm'`` -> ('svhn', 'mnistm'), refusing unknown domains and a domain onto itself."""
    parts = [p.strip() for p in str(item).split("->")]
    if len(parts) != 2 or not all(p in DOMAINS for p in parts):
        raise UserError(f"scenario {item!r} is not SOURCE->TARGET with domains from {', '.join(DOMAINS)}")
    if parts[0] == parts[1]:
        raise UserError(f"scenario {item!r} adapts a domain to itself")
    return parts[0], parts[1]


def configured(scenarios, domains) -> list:
    """The scenario names of the config value ``scenarios`` (a set name or a list of ``SOURCE->TARGET``),
    in order. A set keeps the scenarios whose two domains are among ``domains`` (a course folder may hold
    fewer domains); an explicit scenario naming a domain that is not there is an error."""
    if isinstance(scenarios, (str, int)):  # a set name; --config scenarios=YEAR gives the number
        scenarios = str(scenarios)
        if scenarios not in SETS:
            raise UserError(f"scenarios {scenarios!r} is not one of the sets {', '.join(SETS)} or a list")
        return [name(s, t) for s, t in SETS[scenarios] if s in domains and t in domains]
    out = []
    for item in scenarios:
        s, t = parse(item)
        for d in (s, t):
            if d not in domains:
                raise UserError(
                    f"scenario {item!r} names the domain {d!r}, which is not among domains ({', '.join(domains)})"
                )
        if name(s, t) in out:
            raise UserError(f"scenario {item!r} is listed twice")
        out.append(name(s, t))
    return out
