"""Every setting, defined once, in ``config.schema.yaml`` beside this file: name, type, range, default
and description. From it come

* the workflow's config check (one line naming the offending key) and the presets with every default
  filled in (:func:`check_config`, :func:`resolve_config`);
* a typed, validated settings object per config section (:func:`build`), which the library takes;
* each script's command-line options and --help for a section (:func:`add_arguments`,
  :func:`from_args`): ``--settings JSON`` hands a whole section over (what the rules do), and one
  option per setting overrides a single value.

No other place states a default of a setting.

Validation uses jsonschema, which the workflow's environment has and the course's grading environment
does not (``envs/course_packages.tsv``): it is imported only when something is validated, and the
grading scripts, which read settings a checkpoint stored, never validate (:func:`from_checkpoint`).
"""

import argparse
import dataclasses
import functools
import json
import os
import re

import yaml

from .core.cli import UserError, number

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.schema.yaml")


class ConfigError(UserError):
    """A setting with a wrong name, type or value."""


@functools.cache
def schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _resolve(spec: dict) -> dict:
    """Follow a local ``$ref`` (``#/definitions/NAME``)."""
    while "$ref" in spec:
        spec = schema()["definitions"][spec["$ref"].rsplit("/", 1)[1]]
    return spec


def properties(spec: dict) -> dict:
    """{key: property schema} of an object schema, through ``$ref`` and ``allOf``, in their order. A
    section that restates a key of a family it includes (``allOf``) states only what differs, e.g. the
    ``default``: its entry is merged over the family's."""
    props = {}

    def add(more: dict) -> None:
        for key, prop in more.items():
            props[key] = {**props[key], **prop} if key in props else prop

    if "$ref" in spec:
        add(properties(_resolve(spec)))
    for part in spec.get("allOf", []):
        add(properties(part))
    add(spec.get("properties", {}))
    return props


def section_schema(section: str) -> dict:
    """The schema of one section (``ddpm``, ``dann`` ...): a definition, or a top-level property."""
    defs = schema()["definitions"]
    if section in defs:
        return {**defs[section], "definitions": defs}  # $refs resolve inside the sub-schema
    return {**schema()["properties"][section], "definitions": defs}


def defaults(spec: dict) -> dict:
    """Every default of an object schema, nested objects included."""
    out = {}
    for key, prop in properties(spec).items():
        if "default" in prop:
            out[key] = prop["default"]
        elif properties(prop):  # a nested section: its own defaults
            out[key] = defaults(prop)
    return out


def deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _leaves(errors):
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def _first_error(validator_schema: dict, value, where: str):
    """The most telling violation, "a.b.c: message": the deepest one, and never a consequence of another
    (a property "unevaluated" only because its own value is wrong)."""
    import jsonschema  # the workflow's environment only (see the module's docstring)

    errors = list(_leaves(jsonschema.Draft202012Validator(validator_schema).iter_errors(value)))
    if not errors:
        return None
    direct = [e for e in errors if e.validator != "unevaluatedProperties"] or errors
    error = max(direct, key=lambda e: (len(e.absolute_path), -direct.index(e)))
    path = ".".join([where, *map(str, error.absolute_path)] if where else map(str, error.absolute_path))
    return f"{path or '(top level)'}: {error.message}"


# --------------------------------------------------------------------------------- the workflow config
def check_config(config: dict) -> None:
    """Raise ConfigError('invalid config key a.b.c: <problem>') for the most relevant violation."""
    problem = _first_error(schema(), config, "")
    if problem:
        raise ConfigError(f"invalid config key {problem}")
    for name, preset in config.get("presets", {}).items():
        for section, values in preset.items():
            _check_relations(
                section, deep_merge(defaults(section_schema(section)), values), f"presets.{name}.{section}"
            )
    if "scenarios" in config:  # each named domain must be there, no domain onto itself, none twice
        from .data.scenarios import configured

        try:
            configured(config["scenarios"], config.get("domains", schema()["properties"]["domains"]["default"]))
        except UserError as exc:
            raise ConfigError(f"invalid config key scenarios: {exc}") from None


def resolve_config(config: dict, config_file: str) -> None:
    """In place: the schema's top-level defaults, then ``config_file`` (config.yaml), then what the user
    gave (--configfile, --config), merged key by key. Checks the result (one line naming the key)."""
    with open(config_file, encoding="utf-8") as f:
        base = yaml.safe_load(f) or {}
    merged = deep_merge(deep_merge(defaults(schema()), base), config)
    check_config(merged)
    if merged["preset"] not in merged.get("presets", {}):
        raise ConfigError(f"invalid config key preset: no preset {merged['preset']!r} under presets")
    config.clear()
    config.update(merged)


def preset_settings(config: dict) -> dict:
    """The chosen preset with every default filled in: {section: {key: value}} in schema order."""
    spec = _resolve(schema()["definitions"]["preset"])
    return deep_merge(defaults(spec), config["presets"][config["preset"]])


# ------------------------------------------------------------------------------------ settings objects
_PY_TYPES = {"integer": int, "number": float, "boolean": bool, "string": str, "array": list, "object": dict}


def _coerce(prop: dict, value):
    """JSON numbers as the schema's type: 2 -> 2.0 for a number, 32.0 -> 32 for an integer."""
    kind = _resolve(prop).get("type")
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "array" and isinstance(value, (list, tuple)):
        return [_coerce(prop.get("items", {}), v) for v in value]
    return value


class SettingsBase:
    """Methods shared by the generated settings classes."""

    section = ""

    def as_dict(self, group: str = None, workflow: bool = True) -> dict:
        """The settings in schema order; only those of ``x-group`` ``group`` when given, without the
        ``x-workflow`` ones (the plan of runs) when ``workflow`` is false."""
        props = properties(section_schema(self.section))
        return {
            k: getattr(self, k)
            for k, p in props.items()
            if (group is None or p.get("x-group") == group) and (workflow or not p.get("x-workflow"))
        }


@functools.cache
def settings_class(section: str) -> type:
    """A frozen dataclass with one typed field per setting of ``section``, e.g. ``DdpmSettings``."""
    fields = [
        (key, _PY_TYPES.get(_resolve(p).get("type"), object)) for key, p in properties(section_schema(section)).items()
    ]
    name = "".join(part.capitalize() for part in section.split("_")) + "Settings"
    return dataclasses.make_dataclass(name, fields, bases=(SettingsBase,), frozen=True, namespace={"section": section})


def build(section: str, values: dict = None, where: str = None):
    """The settings object of ``section``: the schema's defaults overlaid with ``values``, validated
    (ConfigError naming ``where.key`` on a bad value or an unknown key)."""
    where = where or section
    spec = section_schema(section)
    if values is not None and not isinstance(values, dict):
        raise ConfigError(f"{where}: expected a mapping of settings, got {type(values).__name__}")
    merged = deep_merge(defaults(spec), values or {})
    problem = _first_error(spec, merged, where)
    if problem:
        raise ConfigError(f"invalid setting {problem}")
    _check_relations(section, merged, where)
    props = properties(spec)
    return settings_class(section)(**{k: _coerce(props[k], merged[k]) for k in props})


def from_checkpoint(section: str, stored: dict, args: argparse.Namespace = None):
    """The settings of ``section`` that a checkpoint stored, overridden by the single options of a command
    line, for the grading scripts. The stored values were validated when the checkpoint was written and
    argparse range-checks each single option (the schema's ranges), so nothing is validated again and
    jsonschema is not needed; ``--settings JSON`` (the workflow's way) is validated as in :func:`build`.
    Unknown stored keys are refused."""
    given = given_args(args, section) if args is not None else {}
    values = {**stored, **given}
    if args is not None and getattr(args, f"_settings_{section}", None) is not None:
        return build(section, values)
    props = properties(section_schema(section))
    unknown = sorted(set(values) - set(props))
    if unknown:
        raise ConfigError(f"{section}: unknown setting(s) {', '.join(unknown)} in the checkpoint")
    for key, value in stored.items():  # a damaged checkpoint: the command line's own checks, per value
        _check_stored(props[key], value, f"{section}.{key}")
    merged = deep_merge(defaults(section_schema(section)), values)
    return settings_class(section)(**{k: _coerce(props[k], merged[k]) for k in props})


def _check_stored(prop: dict, value, where: str) -> None:
    """One stored value against its type, enum, range and pattern, through the parsers of the
    command-line options (a list item by item)."""
    spec = _resolve(prop)
    if spec.get("type") == "array" and isinstance(value, list):
        for item in value:
            _check_stored(spec.get("items", {}), item, where)
        return
    parse = _parse_kwargs(prop)
    ok = isinstance(value, bool) if spec.get("type") == "boolean" else not isinstance(value, (bool, dict, list))
    try:
        parsed = parse["type"](str(int(value) if isinstance(value, bool) else value)) if ok else None
    except (argparse.ArgumentTypeError, ValueError):
        ok = False
    if not ok or ("choices" in parse and parsed not in parse["choices"]):
        raise ConfigError(f"invalid setting {where} in the checkpoint: {value!r}")


def _check_relations(section: str, values: dict, where: str) -> None:
    """What one setting's range cannot say: relations between two of them."""
    if section == "ddpm" and values.get("beta_start", 0) >= values.get("beta_end", 1):
        raise ConfigError(
            f"invalid setting {where}.beta_start ({values['beta_start']}) must be below "
            f"{where}.beta_end ({values['beta_end']})"
        )
    zoom = values.get("zoom") if section in ("classifier_training", "eval_classifier", "dann") else None
    numbers = isinstance(zoom, list) and len(zoom) == 2 and all(isinstance(z, (int, float)) for z in zoom)
    if numbers and zoom[0] > zoom[1]:
        raise ConfigError(f"invalid setting {where}.zoom: lo ({zoom[0]}) is above hi ({zoom[1]})")


GPU_DRIVER_FILES = ("/proc/driver/nvidia/version", "/dev/kfd")  # present when an NVIDIA / AMD GPU driver is loaded


def gpu_resource(device: str, driver_files=GPU_DRIVER_FILES) -> int:
    """The workflow's `gpu` resource a torch job takes under the `device` setting: 1 when the run may
    use a GPU (such jobs then take turns under --resources gpu=1), 0 on a CPU-only run, where they run
    side by side like any other job. Decided without importing torch: `auto` counts as a GPU run when
    a GPU driver is loaded."""
    if device == "cpu":
        return 0
    if device.startswith("cuda"):
        return 1
    return int(any(os.path.exists(p) for p in driver_files))


def default(section: str, key: str):
    """The schema's default of one setting (for code that needs a single value, e.g. a fallback)."""
    return properties(section_schema(section))[key]["default"]


# ----------------------------------------------------------------------------------- command lines
def _option(parser, key: str, prop: dict, dest: str):
    """One command-line option for a setting; range checks from the schema, default left to it."""
    shown = json.dumps(prop.get("default")) if "default" in prop else None
    help_text = prop.get("description", "") + (f" (default: {shown})" if shown is not None else "")
    kwargs = {"dest": dest, "default": argparse.SUPPRESS, "help": help_text.replace("%", "%%"), **_parse_kwargs(prop)}
    parser.add_argument(f"--{key.replace('_', '-')}", **kwargs)


def _parse_kwargs(prop: dict) -> dict:
    """How argparse reads one setting: ``type`` (with the schema's range or pattern), ``choices``, ``nargs``."""
    spec = _resolve(prop)
    kind = spec.get("type")
    if kind == "boolean":
        return {"type": int, "choices": [0, 1], "metavar": "{0,1}"}
    if "enum" in spec:
        return {"type": _PY_TYPES[kind], "choices": spec["enum"]}
    if kind in ("integer", "number"):
        return {"type": _number(spec)}
    if kind == "array":
        items = spec.get("items", {})
        fixed = spec.get("minItems") == spec.get("maxItems") and spec.get("minItems")
        found = {"type": _number(items) if items.get("type") in ("integer", "number") else str}
        found["nargs"] = fixed or ("+" if spec.get("minItems") else "*")  # "*": an empty list can be given
        return {**found, **({"choices": items["enum"]} if "enum" in items else {})}
    if "pattern" in spec:
        return {"type": _matching(spec["pattern"])}
    return {"type": str}


def _matching(pattern: str):
    """An argparse ``type=`` that accepts only text matching the schema's ``pattern``."""

    def parse(text):
        if not re.search(pattern, text):
            raise argparse.ArgumentTypeError(f"{text!r} does not match {pattern}")
        return text

    return parse


def _number(spec: dict):
    low = spec.get("minimum", spec.get("exclusiveMinimum"))
    high = spec.get("maximum", spec.get("exclusiveMaximum"))
    return number(
        int if spec.get("type") == "integer" else float,
        low=low,
        high=high,
        low_open="exclusiveMinimum" in spec,
        high_open="exclusiveMaximum" in spec,
    )


def add_arguments(parser: argparse.ArgumentParser, section: str) -> None:
    """``--settings JSON`` (a whole section, as the rules pass it) and one option per setting of
    ``section`` (not the ``x-workflow`` ones), all with the schema's help and ranges."""
    group = parser.add_argument_group(f"settings ({section}; defined in dlcv_hw2/config.schema.yaml)")
    group.add_argument(
        "--settings",
        dest=f"_settings_{section}",
        metavar="JSON",
        default=None,
        help=f"the {section} section as a JSON object (the options below override single keys)",
    )
    for key, prop in properties(section_schema(section)).items():
        if not prop.get("x-workflow"):
            _option(group, key, prop, f"_setting_{section}_{key}")


def add_top_level(parser: argparse.ArgumentParser, *keys: str) -> None:
    """Options for top-level settings (``seed``, ``device``) with the schema's default."""
    for key in keys:
        prop = schema()["properties"][key]
        _option(parser, key, prop, key)
        parser.set_defaults(**{key: prop["default"]})


def given_args(args: argparse.Namespace, section: str) -> dict:
    """The settings of ``section`` a command line states: --settings, then the single options."""
    given = getattr(args, f"_settings_{section}", None)
    values = {}
    if given is not None:
        try:
            values = json.loads(given)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"--settings is not JSON ({exc})") from None
        if not isinstance(values, dict):
            raise ConfigError("--settings must be a JSON object")
    prefix = f"_setting_{section}_"
    for dest, value in vars(args).items():
        if dest.startswith(prefix):
            key = dest[len(prefix) :]
            values[key] = bool(value) if _is_bool(section, key) else value  # booleans are 0 | 1 on the command line
    return values


def from_args(args: argparse.Namespace, section: str):
    """The settings object a command line describes: defaults, then --settings, then single options."""
    return build(section, given_args(args, section))


def _is_bool(section: str, key: str) -> bool:
    return _resolve(properties(section_schema(section))[key]).get("type") == "boolean"
