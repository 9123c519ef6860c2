"""Domain-adaptation scenarios: ordered (source, target) pairs of the digit domains.

A scenario is written ``SOURCE->TARGET`` in the config (``mnistm->svhn``); its results live under
``results/dann_<name>/`` where the name is the target alone when the source is MNIST-M (the 2023
names ``svhn`` and ``usps``, which the grading script and ``snakemake results/dann_svhn/tsne.png``
know) and ``<source>_to_<target>`` otherwise (``svhn_to_mnistm``).
"""

from .. import course
from ..core.cli import UserError

DOMAINS = ("mnistm", "svhn", "usps")
DOMAIN_TITLES = {"mnistm": "MNIST-M", "svhn": "SVHN", "usps": "USPS"}

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
